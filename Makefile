# Two commands: `make demo` and `make test` (and `make bench`). Each sets everything up first.
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.streamkit-installed

.PHONY: setup demo test bench clean

$(STAMP): pyproject.toml constraints.txt scripts/setup.sh models/manifest.toml
	bash scripts/setup.sh
	touch $(STAMP)

setup: $(STAMP)

demo: setup
	$(VENV)/bin/streamkit demo

test: setup
	$(PY) -m pytest -q -p no:cacheprovider

bench: setup
	$(PY) benchmarks/run_all.py

clean:
	rm -rf $(VENV) build *.egg-info
