#!/usr/bin/env bash
# Quick start: install (first time only) and run the test suite. Extra arguments go to pytest.
# The browser tests drive Debian's chromium; it is installed here when missing and we may.
source "$(dirname "$0")/_env.sh"
if ! command -v chromium >/dev/null 2>&1 && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing chromium for the report's browser tests ..." >&2
    apt-get install -y -qq chromium >/dev/null 2>&1 || { apt-get update -qq >/dev/null && apt-get install -y -qq chromium >/dev/null; }
fi
exec python -m pytest "$@"
