# autoapply: the two set-up commands are `make demo` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# checkov lives in its own venv: its dependencies conflict with the runtime pins.
CHECKOV_VENV  ?= .venv-checkov
CHECKOV_STAMP := $(CHECKOV_VENV)/.installed
TF_DIR ?= terraform
CONFIG ?= autoapply.yaml

.PHONY: demo test test-live test-shifted lint bench eval bundle package checkov deploy destroy clean

$(STAMP): requirements.txt requirements-dev.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	$(BIN)/pip install --quiet --no-deps -e .
	touch $(STAMP)

## demo: the whole pipeline on bundled sample data with embedded defaults
demo: $(STAMP)
	$(BIN)/autoapply demo

$(CHECKOV_STAMP): requirements-checkov.txt
	test -x $(CHECKOV_VENV)/bin/python || $(PYTHON) -m venv $(CHECKOV_VENV)
	$(CHECKOV_VENV)/bin/pip install --quiet -r requirements-checkov.txt
	touch $(CHECKOV_STAMP)

## test: the full suite, with the Firestore and Pub/Sub emulators started for it
## (tests/packaging/test_terraform.py runs terraform fmt and checkov on terraform/)
test: $(STAMP) $(CHECKOV_STAMP)
	scripts/emulators.sh run $(BIN)/python -m pytest $(PYTEST_ARGS)

## test-live: the opt-in live tier against the real Gemini, Gmail, Apify and a staging GCP
## project; each test skips, naming the variable to set, without its credentials. Never in CI.
test-live: $(STAMP)
	$(BIN)/python -m pytest --live tests/live -rs --no-fold-skipped $(PYTEST_ARGS)

## test-shifted: the unit and functional tiers with the clock moved ahead (Debian's faketime):
## a test that compares a literal date with "now" fails here long before it fails in real life
SHIFT ?= +400d
test-shifted: $(STAMP)
	scripts/emulators.sh run faketime -f "$(SHIFT)" $(BIN)/python -m pytest tests/unit tests/functional $(PYTEST_ARGS)

## lint: ruff
lint: $(STAMP)
	$(BIN)/ruff check .

## bench: benchmarks (import times, ingest, guard overhead, documents/s, analysis cost, outreach, recipients, sweep)
bench: $(STAMP)
	$(BIN)/python scripts/import_times.py
	scripts/emulators.sh run $(BIN)/python -m bench.ingest
	$(BIN)/python bench/guard_overhead.py
	$(BIN)/python bench/documents.py
	$(BIN)/python -m bench.bench_analysis
	$(BIN)/python bench/outreach.py
	$(BIN)/python bench/recipients.py
	$(BIN)/python bench/sweep.py

## eval: quality of the local pre-score on the labelled postings (writes docs/analysis.md)
eval: $(STAMP)
	$(BIN)/python -m eval.run_eval

## bundle: write the deploy bundles into build/<fn>/
bundle: $(STAMP)
	$(BIN)/python scripts/build_bundles.py

## package: zip the bundles reproducibly into build/zip/<fn>.zip, with $(CONFIG) if it exists
package: bundle
	$(BIN)/python scripts/package_bundles.py $(if $(wildcard $(CONFIG)),--config $(CONFIG))

## checkov: the offline security checks of terraform/ (no failed check; skips justified inline)
checkov: $(CHECKOV_STAMP)
	$(CHECKOV_VENV)/bin/checkov -d $(TF_DIR) --framework terraform --skip-download --compact --quiet

## deploy: bundle, zip, then terraform apply (needs gcloud credentials: see docs/deploy.md)
deploy:
	@test -f $(CONFIG) || { echo "deploy: $(CONFIG) not found: your settings (searches, filters) are deployed with the code; set CONFIG=path"; exit 2; }
	@test -f $(TF_DIR)/terraform.tfvars || { echo "deploy: copy $(TF_DIR)/terraform.tfvars.example to $(TF_DIR)/terraform.tfvars and set project_id"; exit 2; }
	$(MAKE) package CONFIG=$(CONFIG)
	terraform -chdir=$(TF_DIR) init -input=false
	terraform -chdir=$(TF_DIR) apply $(TF_ARGS)

## destroy: remove the deployment (Firestore data is kept unless firestore_deletion_policy = "DELETE")
destroy:
	terraform -chdir=$(TF_DIR) destroy $(TF_ARGS)

clean:
	rm -rf build autoapply-demo .emulators .pytest_cache .ruff_cache
