#!/usr/bin/env bash
# Installs the dependencies, builds valetd and valetctl, and runs valetd on the embedded default
# config.yaml (memory queue and repository, HTTP on 127.0.0.1:8080, the dashboard at /ui/). Extra
# arguments go to valetd.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
cmake --preset default -DVALET_BUILD_TESTS=OFF -DVALET_BUILD_BENCH=OFF >/dev/null
cmake --build --preset default --target valetd valetctl
exec build/default/app/valetd --config config.yaml "$@"
