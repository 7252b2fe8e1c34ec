#!/usr/bin/env bash
# Every gate CI enforces: lint and format first (they fail fastest), then types and the tests
# with coverage side by side (mypy runs on its own core while the tests start up).
set -euo pipefail
cd "$(dirname "$0")/.."
ruff check src tests benchmarks scripts
ruff format --check src tests benchmarks scripts
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
# Compiled modules are cached for this run, in the scratch directory (not in the tree), even
# where PYTHONDONTWRITEBYTECODE is set: without a cache each of the test processes and the
# ~100 Python processes the tests start compiles every module it imports again.
unset PYTHONDONTWRITEBYTECODE
export PYTHONPYCACHEPREFIX="$scratch/pycache"
mypy >"$scratch/types" 2>&1 &
mypy_pid=$!
# One test process per core (xdist); each program's tests on one of them, so they share its plans.
tests=0
python -m pytest -n auto --dist loadgroup --cov --cov-report=term "$@" || tests=$?
mypy_status=0
wait "$mypy_pid" || mypy_status=$?
cat "$scratch/types"
[ "$mypy_status" -eq 0 ] || { echo "check: mypy failed"; exit "$mypy_status"; }
exit "$tests"
