# Quick start:   make run    (set up, then recommend for the built-in default team)
#                make test   (set up with dev tools and the CPU frameworks, then lint, type-check, test)
PY ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
ANSWERS ?= examples/default.yaml

.PHONY: run test test-fast lint typecheck pytest probe bench paths-toolchains paths clean

$(VENV)/.run-stamp: pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q -e .
	touch $@

# uv installs the frameworks about 2.7x faster than pip (58 s against 156 s on the 2-core
# development VM, empty caches, byte-compiled as pip does); pip installs uv itself. uv reads
# none of pip's settings, so the wheel folders pip is pointed at (pip.conf's find-links or
# PIP_FIND_LINKS: where the CPU build of torch may lie; without it `torch==2.13.0` is the
# multi-GB CUDA build, for uv as for pip) are passed on; and uv trusts the system's
# certificates, as pip does here (a network whose TLS goes through a local certificate
# authority fails uv's built-in roots: "invalid peer certificate: UnknownIssuer").
UV_INSTALL = links="$$($(BIN)/pip config get global.find-links 2>/dev/null) $${PIP_FIND_LINKS:-}"; \
	$(BIN)/uv pip install --python $(BIN)/python -q --compile-bytecode --system-certs \
	$$(for d in $$links; do printf -- '--find-links %s ' "$$d"; done) -c constraints-dev.txt
DEV_EXTRAS := ".[dev,paths-runtimes,ray]" torch tensorflow-cpu jax jaxlib optax numpy
$(VENV)/.dev-stamp: pyproject.toml constraints-dev.txt
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q -c constraints-dev.txt uv
	$(UV_INSTALL) -e $(DEV_EXTRAS)
	touch $@ $(VENV)/.run-stamp

run: $(VENV)/.run-stamp
	$(BIN)/fwadvisor recommend --answers $(ANSWERS)

lint: $(VENV)/.dev-stamp
	$(BIN)/ruff check fwadvisor probes tests benchmarks
	$(BIN)/lint-imports

typecheck: $(VENV)/.dev-stamp
	$(BIN)/mypy

# Two passes (CI must finish within 15 minutes; --durations names the slowest tests): every
# test but the `timed` ones spread over the CPUs (pytest-xdist, up to 4 processes; the real
# converters run single-threaded); then the `timed` ones one at a time, since they measure or
# run real workloads against budgets and deadlines and must have the machine to themselves.
# compileall first: the tests start the CLI and its workers in hundreds of fresh processes, and
# where PYTHONDONTWRITEBYTECODE is set each of them would otherwise compile fwadvisor again.
XDIST := -n auto --maxprocesses 4
pytest: $(VENV)/.dev-stamp
	$(BIN)/python -m compileall -q fwadvisor probes
	$(BIN)/python -m pytest -q $(XDIST) -m "not timed" --durations=20
	$(BIN)/python -m pytest -q -m timed --durations=15

# pytest runs every rule case and scenario (tests/test_ruletests.py), so `rules test` is not
# run again here. `rules audit` without --strict only warns about facts older than a year, so
# the calendar alone never breaks a build; release checks run `fwadvisor rules audit --strict`.
test: lint typecheck pytest
	$(BIN)/fwadvisor rules audit | tail -n 1

# the inner loop: no real framework workers, converters or browser (seconds, not minutes);
# `make test` stays the full check that CI runs
test-fast: $(VENV)/.dev-stamp
	$(BIN)/ruff check fwadvisor probes tests benchmarks
	$(BIN)/python -m pytest -q -x $(XDIST) -m "not slow and not chromium"

probe: $(VENV)/.dev-stamp
	$(BIN)/fwadvisor probe --suite quick --output fwadvisor-probe.json --force

# every path-check toolchain (ExecuTorch, LiteRT Torch: large); `make test` has the runtimes only
paths-toolchains: $(VENV)/.dev-stamp
	$(UV_INSTALL) -e ".[dev,paths]"

paths: paths-toolchains
	$(BIN)/fwadvisor paths check --answers $(ANSWERS) --output fwadvisor-paths.json --force

bench: $(VENV)/.dev-stamp
	$(BIN)/python benchmarks/core_bench.py

clean:
	rm -rf $(VENV) build dist .mypy_cache .ruff_cache .pytest_cache
