# autoapply: the two set-up commands are `make demo` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test lint bench eval bundle clean

$(STAMP): requirements.txt requirements-dev.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	$(BIN)/pip install --quiet --no-deps -e .
	touch $(STAMP)

## demo: the whole pipeline on bundled sample data with embedded defaults
demo: $(STAMP)
	$(BIN)/autoapply demo

## test: the full suite, with the Firestore and Pub/Sub emulators started for it
test: $(STAMP)
	scripts/emulators.sh run $(BIN)/python -m pytest $(PYTEST_ARGS)

## lint: ruff
lint: $(STAMP)
	$(BIN)/ruff check .

## bench: benchmarks (import times, guard overhead, documents/s, analysis cost, outreach)
bench: $(STAMP)
	$(BIN)/python scripts/import_times.py
	$(BIN)/python bench/guard_overhead.py
	$(BIN)/python bench/documents.py
	$(BIN)/python -m bench.bench_analysis
	$(BIN)/python bench/outreach.py

## eval: quality of the local pre-score on the labelled postings (writes docs/analysis.md)
eval: $(STAMP)
	$(BIN)/python -m eval.run_eval

## bundle: write the deploy bundles into build/<fn>/
bundle: $(STAMP)
	$(BIN)/python scripts/build_bundles.py

clean:
	rm -rf build autoapply-demo .emulators .pytest_cache .ruff_cache
