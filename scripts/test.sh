#!/usr/bin/env bash
# Quick start: install (first time only) and run the test suite. Extra arguments go to pytest.
source "$(dirname "$0")/_env.sh"
exec python -m pytest "$@"
