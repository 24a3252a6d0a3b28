# Two commands do all setup on a fresh machine:
#   make demo   creates .venv, installs Dateline and prints the timeline of the bundled example
#   make test   creates .venv, installs Dateline with its test extras (and, when missing,
#               the Debian packages the benchmark tests need), runs the linters and the
#               type checker, then the test suite
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
EXAMPLE := examples/af447

.PHONY: demo test lint install install-dev sysdeps bench-tls bench-entities bench-dates clean

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

# System packages the benchmarks and the browser test need, installed from Debian when
# missing (with sudo when not root): a Java runtime for HeidelTime, Perl's XML::Parser
# for tilse's ROUGE-1.5.5, Chromium for tests/test_browser.py.
sysdeps:
	@missing=""; \
	command -v java >/dev/null 2>&1 || missing="$$missing default-jre-headless"; \
	perl -MXML::Parser -e1 >/dev/null 2>&1 || missing="$$missing libxml-parser-perl"; \
	[ -x /usr/bin/chromium ] || missing="$$missing chromium"; \
	if [ -n "$$missing" ]; then \
	  sudo=""; [ "$$(id -u)" = 0 ] || sudo="sudo"; \
	  echo "installing Debian packages:$$missing"; \
	  ($$sudo apt-get update -qq && $$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null) \
	  || echo "warning: could not install$$missing; the tests that need them will be skipped"; \
	fi

# The house stays clean: lint, format and types are checked before the tests run.
lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

test: install-dev sysdeps lint
	$(BIN)/pytest -q

bench-tls: install-dev sysdeps
	$(BIN)/dateline eval tls ../shared/data/t17 --no-cache -j 1 -o benchmarks/t17.md --json benchmarks/t17.json

# The Entities protocol (input window widened by 7 days) on the 14 development topics.
bench-entities: install-dev sysdeps
	$(BIN)/dateline eval tls ../shared/data/entities-dev --protocol entities --no-cache -j 1 \
	  -o benchmarks/entities.md --json benchmarks/entities.json

bench-dates: install-dev sysdeps
	$(BIN)/dateline eval dates ../shared/data/timeml \
	  -o benchmarks/dates.md --json benchmarks/dates.json

clean:
	rm -rf $(VENV) build src/*.egg-info .pytest_cache
