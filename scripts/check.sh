#!/usr/bin/env bash
# Every gate CI enforces, in the order that fails fastest: lint, format, types, tests + coverage.
set -euo pipefail
cd "$(dirname "$0")/.."
ruff check src tests benchmarks scripts
ruff format --check src tests benchmarks scripts
mypy
# One test process per core (xdist); each program's tests on one of them, so they share its plans.
python -m pytest -n auto --dist loadgroup --cov --cov-report=term "$@"
