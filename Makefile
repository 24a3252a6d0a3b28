# Two commands do all setup on a fresh machine:
#   make demo   creates .venv, installs Dateline and prints the timeline of the bundled example
#   make test   creates .venv, installs Dateline with its test extras (and Java for the
#               HeidelTime benchmark test when missing), then runs the test suite
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
EXAMPLE := examples/af447

.PHONY: demo test install install-dev java bench-tls bench-dates clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

demo: install
	$(BIN)/dateline build $(EXAMPLE)

# HeidelTime (benchmarks only) needs a Java runtime; install Debian's when it is missing.
java:
	@command -v java >/dev/null 2>&1 || { \
	  echo "installing a Java runtime for the HeidelTime benchmark (Debian default-jre-headless)"; \
	  (apt-get update -qq && apt-get install -y -qq default-jre-headless >/dev/null) \
	  || echo "warning: could not install Java; HeidelTime tests will be skipped"; }

test: install-dev java
	$(BIN)/pytest -q

bench-tls: install-dev
	$(BIN)/dateline eval tls ../shared/data/t17 -o benchmarks/t17.md --json benchmarks/t17.json

bench-dates: install-dev java
	$(BIN)/dateline eval dates ../shared/data/timeml \
	  -o benchmarks/dates.md --json benchmarks/dates.json

clean:
	rm -rf $(VENV) build src/*.egg-info .pytest_cache
