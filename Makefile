# The two commands: `make demo` and `make test`. Both set up .venv on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint install clean evals

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/turnover demo

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy domain tools agent channels scheduler storage integrations turnover
	$(BIN)/lint-imports

# The suite runs three times: in the machine's timezone and at both ends of the clock (UTC+14 and
# UTC-11), so a date pushed through UTC anywhere shows up as a failure (calendar-feeds.md rule 6).
test: lint
	$(BIN)/pytest -q
	TZ=Pacific/Kiritimati $(BIN)/pytest -q -p no:cacheprovider
	TZ=Pacific/Pago_Pago $(BIN)/pytest -q -p no:cacheprovider

# The agent against a real model (TURNOVER_MODEL, default Anthropic): tests/evals/*.yaml, a pass rate.
# Without ANTHROPIC_API_KEY (or whatever the model needs) it says so and exits 0.
evals: $(STAMP)
	$(BIN)/python -m tests.evals.run

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
