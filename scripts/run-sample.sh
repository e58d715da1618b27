#!/usr/bin/env bash
# Quick start: install (first time only) and analyse sample_data/ with `doit`.
# Extra arguments go to doit, e.g. `scripts/run-sample.sh list` or `input=~/study`.
source "$(dirname "$0")/_env.sh"
exec doit "$@"
