#!/usr/bin/env bash
# Every gate CI enforces, in the order that fails fastest: lint, format, types, tests + coverage.
set -euo pipefail
cd "$(dirname "$0")/.."
ruff check src tests benchmarks scripts
ruff format --check src tests benchmarks scripts
mypy
python -m pytest --cov --cov-report=term "$@"
