# Two commands do all the set-up:
#   make lab    open the course in JupyterLab
#   make test   run every test (lint, helpers, notebooks, browser)
# Each creates the virtual environment it needs in .venv on first use: make lab
# installs the students' packages (requirements.txt), make test adds the
# authors' tools (requirements-dev.txt). The course itself is never installed:
# the notebooks find helpers/ beside their folder (notebooks/helpers.py).

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev
CHROMIUM ?= /usr/bin/chromium
NBVAL := --nbval --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg
# Two workers share the tests; each file stays whole on one worker, so a notebook's
# cells share one kernel (and the browser tests' copies of a notebook one writer).
# The browser tests run after the others, on two workers too, each with its own
# JupyterLab and Chromium, all but one: the test that compares a figure on the page
# with the kernel's picture after quick moves runs alone last, so that what it
# measures is the page, not a second browser on the same two cores.
WORKERS := -n 2 --dist loadfile
ALONE := tests/browser/test_canvas_matches_kernel.py
# Leaves out the browser test modules; their fixture notebooks still get nbval's check.
NO_BROWSER := '--ignore-glob=tests/browser/test_*.py'
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: lab test test-fast lint notebooks nav bench bench-classroom chromium npm slides app student assignments site clean

$(STAMP): requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	$(BIN)/python tools/lab_settings.py
	touch $(STAMP)

$(DEV_STAMP): $(STAMP) requirements-dev.txt
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $(DEV_STAMP)

# Browser tests drive Debian's Chromium (Playwright cannot download its own here).
chromium:
	@[ -x $(CHROMIUM) ] || { \
	  echo "Installing Debian's chromium for the browser tests"; \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

# Slides take reveal.js from npm (installed under build/reveal on first use).
npm:
	@command -v npm >/dev/null || { \
	  echo "Installing Debian's npm for the slides"; \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm >/dev/null; }

# JupyterLab refuses to run as root unless told that it is meant.
ALLOW_ROOT := $(shell [ "$$(id -u)" = 0 ] && echo --allow-root)
lab: $(STAMP)
	$(BIN)/jupyter lab $(ALLOW_ROOT) notebooks/00_index.ipynb

lint: $(DEV_STAMP)
	$(BIN)/ruff check helpers tests tools benchmarks notebooks
	$(BIN)/ruff format --check helpers tests tools benchmarks notebooks

test: $(DEV_STAMP) chromium npm lint
	$(BIN)/python tools/nav.py --check
	$(BIN)/python tools/slide_meta.py --check
	$(BIN)/python -m pytest tests notebooks $(NBVAL) $(WORKERS) -p no:cacheprovider $(NO_BROWSER)
	$(BIN)/python -m pytest tests/browser $(WORKERS) -p no:cacheprovider --ignore=$(ALONE)
	$(BIN)/python -m pytest $(ALONE) -p no:cacheprovider

# Everything but the browser: quick feedback while writing.
test-fast: $(DEV_STAMP) lint
	$(BIN)/python -m pytest tests notebooks $(NBVAL) $(WORKERS) -p no:cacheprovider $(NO_BROWSER)

# make notebooks NB=notebooks/02_error.ipynb re-runs one notebook.
notebooks: $(STAMP)
	$(BIN)/python tools/execute.py $(if $(filter command line,$(origin NB)),$(NB))

# make slides NB=notebooks/03_chain_rule_output_weights.ipynb
NB ?= notebooks/01_forward_pass.ipynb
slides: $(STAMP) npm
	$(BIN)/python tools/slides.py $(NB)

# The live demos only (no code), served with Voila; make app NB=... for one notebook.
app: $(STAMP)
	$(BIN)/python tools/app.py $(if $(filter command line,$(origin NB)),$(NB))

student: $(STAMP)
	$(BIN)/python tools/student.py

# nbgrader's course folder in build/grading/: one assignment per notebook with exercises,
# graded by the course's own checkers (README: "Grading with nbgrader").
assignments: $(DEV_STAMP)
	$(BIN)/python tools/assignments.py

# The course website in build/site/ (Jupyter Book 1; MathJax from npm into build/mathjax).
site: $(DEV_STAMP) npm
	$(BIN)/python tools/site.py

nav: $(STAMP)
	$(BIN)/python tools/nav.py

bench: $(DEV_STAMP) chromium
	$(BIN)/python -m benchmarks

# A whole class on one app page at once (README: "A class at once");
# make bench-classroom ARGS="--classes 10,20 --seconds 15".
bench-classroom: $(DEV_STAMP) chromium
	$(BIN)/python -m benchmarks.bench_classroom $(ARGS)

clean:
	rm -rf $(VENV) build .pytest_cache .hypothesis
