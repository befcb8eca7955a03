# Two commands on a fresh machine with Python 3.11: `make run` and `make test`.
# Both create .venv on first use and reuse it while pyproject.toml and constraints.txt are unchanged.
# constraints.txt pins every installed version, so figures come out byte-identical on every build.
PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.cybercult-installed

.PHONY: run test bench notebook clean

$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[test]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/cybercult run

# The test suite and notebooks, then every docstring example of the package (--doctest-modules).
test: $(STAMP)
	$(BIN)/python -m pytest -q tests --nbmake notebooks
	MPLBACKEND=Agg $(BIN)/python -m pytest -q --doctest-modules src/cybercult

# JupyterLab on the notebooks folder (installs the `notebook` extra on first use).
notebook: $(STAMP)
	$(BIN)/python -c "import jupyterlab" 2>/dev/null || $(BIN)/python -m pip install --quiet -c constraints.txt -e '.[notebook]'
	$(BIN)/jupyter lab notebooks

bench: $(STAMP)
	$(BIN)/python benchmarks/run_benchmarks.py

clean:
	rm -rf $(VENV) build dist out
