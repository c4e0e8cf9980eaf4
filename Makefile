# autoapply: the two set-up commands are `make demo` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test lint bench bundle clean

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

## bench: benchmarks (import times of every function; ingest throughput and memory)
bench: $(STAMP)
	$(BIN)/python scripts/import_times.py
	$(BIN)/python -m bench.ingest

## bundle: write the deploy bundles into build/<fn>/
bundle: $(STAMP)
	$(BIN)/python scripts/build_bundles.py

clean:
	rm -rf build autoapply-demo .emulators .pytest_cache .ruff_cache
