# Two entry points (see README "Quick start"): `make run` and `make test`.
# Everything installs into a local virtual environment (.venv). The CPU build of torch is
# installed first, so that the torch range in pyproject.toml pulls nothing more (no CUDA).
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
TORCH ?= torch==2.13.0
# For a CPU-only torch from PyTorch's own index on other hosts:
#   make run TORCH_INDEX=--index-url=https://download.pytorch.org/whl/cpu
TORCH_INDEX ?=
PORT ?= 8501

.PHONY: run test test-fast install install-test lint bench clean

$(VENV)/.app: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q $(TORCH_INDEX) "$(TORCH)"
	$(PY) -m pip install -q -e .
	touch $@

$(VENV)/.test: $(VENV)/.app
	$(PY) -m pip install -q -e ".[test]"
	touch $@

install: $(VENV)/.app
install-test: $(VENV)/.test

run: $(VENV)/.app
	$(PY) -m streamlit run app.py --server.port $(PORT)

test: $(VENV)/.test
	$(PY) -m ruff check .
	$(PY) -m pytest -q

# The fast loop while working: tests/unit only (no page, no server, no browser).
test-fast: $(VENV)/.test
	$(PY) -m ruff check .
	$(PY) -m pytest -q tests/unit

bench: $(VENV)/.app
	$(PY) benchmarks/train_speed.py

clean:
	rm -rf $(VENV) .pytest_cache
