# The two commands a fresh clone needs: `make run` and `make test` (see README.md).
VENV := .venv
BIN := $(VENV)/bin
export FLASK_APP := campaign

.PHONY: run test lint bench

$(BIN)/.installed: pyproject.toml
	python3 -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[test]"
	touch $@

# The demo data's links use the port the app will serve (scripts/serve does the same).
run: export PUBLIC_BASE_URL ?= http://127.0.0.1:$(or $(PORT),5000)
run: $(BIN)/.installed
	$(BIN)/flask db upgrade
	$(BIN)/flask seed-demo
	scripts/serve

lint: $(BIN)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test: $(BIN)/.installed
	scripts/test-prerequisites
	$(MAKE) --no-print-directory lint
	$(BIN)/mypy
	$(BIN)/pytest $(PYTEST_ARGS)

bench: $(BIN)/.installed
	scripts/test-prerequisites
	$(BIN)/python bench/run.py $(BENCH_ARGS)
