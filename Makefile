# The two commands a fresh clone needs: `make run` and `make test` (see README.md).
VENV := .venv
BIN := $(VENV)/bin
export FLASK_APP := campaign
# `make test` measures line coverage and prints it per package; `make test COVERAGE=` skips it.
COVERAGE ?= --cov --cov-report=
# Tests that need no worker, browser or fault injection run in this many processes (xdist);
# the others run one at a time, since they time real processes against each other.
TEST_PROCESSES ?= 2

.PHONY: run test lint bench lock

# The exact versions (with hashes) of requirements-lock.txt, then the app itself on top.
$(BIN)/.installed: pyproject.toml requirements-lock.txt
	python3 -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-lock.txt
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@

# After changing dependencies in pyproject.toml: resolve the new ones into the lock file
# (existing pins stay; add --upgrade to the uv command to move everything to the newest).
lock:
	python3 -m venv .venv-lock
	.venv-lock/bin/pip install --quiet "uv>=0.5,<1"
	.venv-lock/bin/uv pip compile pyproject.toml --extra test --universal \
		--python-version 3.11 --generate-hashes --output-file requirements-lock.txt

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
	$(BIN)/python scripts/check_wheel.py
	$(BIN)/pytest $(COVERAGE) -n $(TEST_PROCESSES) -m "not browser and not worker and not faults" $(PYTEST_ARGS)
	$(BIN)/pytest $(COVERAGE) --cov-append -m "browser or worker or faults" $(PYTEST_ARGS)
	$(if $(COVERAGE),$(BIN)/python scripts/coverage_by_package.py)

bench: $(BIN)/.installed
	scripts/test-prerequisites
	$(BIN)/python bench/run.py $(BENCH_ARGS)
