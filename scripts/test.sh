#!/usr/bin/env bash
# Installs the dependencies, then builds and runs the whole test suite: the normal build (every
# test, plus building the example project against the installed package), then an
# AddressSanitizer+UBSan build of the unit, contract, fuzz-replay and adapter integration tests
# (not the process-killing fault and outage ones, whose point is timing rather than memory) and a
# ThreadSanitizer build of the unit and contract tests. Both sanitizer builds leave out gRPC and
# the end-to-end suites, which run in the normal build: that keeps a full run on a 2-core
# machine under 45 minutes.
#
#   scripts/test.sh            everything
#   scripts/test.sh --quick    the normal build only
set -euo pipefail
cd "$(dirname "$0")/.."

quick=false
[ "${1:-}" = "--quick" ] && quick=true
jobs=$(nproc)

# With Chromium, Node.js and npm for the dashboard's browser tests.
scripts/install-deps.sh --tests
# The database servers the integration tests use (installed and started if needed).
eval "$(scripts/servers.sh)"

step() { printf '\n== %s\n' "$*"; }

# Tests are switched on explicitly: scripts/run.sh shares this build directory and turns them off.
step "normal build"
cmake --preset default -DVALET_BUILD_TESTS=ON >/dev/null
cmake --build --preset default -j "$jobs"
ctest --test-dir build/default --output-on-failure --no-tests=error -j "$jobs"

step "install and build the example project against it"
prefix=$(mktemp -d)
trap 'rm -rf "$prefix"' EXIT
cmake --install build/default --prefix "$prefix" >/dev/null
cmake -S examples/embedding -B "$prefix/example-build" -G Ninja \
  -DCMAKE_PREFIX_PATH="$prefix" >/dev/null
cmake --build "$prefix/example-build"
"$prefix/example-build/embedded_valet" --self-test

$quick && exit 0

step "AddressSanitizer + UndefinedBehaviorSanitizer"
cmake --preset asan >/dev/null
# The test programs only, not valetd (the preset leaves out the outage programs).
cmake --build --preset asan -j "$jobs" --target valet_unit_tests valet_app_tests \
  valet_memory_contract_tests valet_config_fuzzer valet_http_request_fuzzer valet_postgres_tests \
  valet_mysql_tests valet_redis_tests valet_rabbitmq_tests valet_rabbitmq_restart_tests
ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
  ctest --test-dir build/asan --output-on-failure --no-tests=error -j "$jobs"

step "ThreadSanitizer (unit and contract tests)"
cmake --preset tsan >/dev/null
# Only the programs those tests need: the rest of the tree is covered by the builds above.
cmake --build --preset tsan -j "$jobs" --target valet_unit_tests valet_app_tests \
  valet_memory_contract_tests valet_config_fuzzer valet_http_request_fuzzer
TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1" \
  ctest --test-dir build/tsan --output-on-failure --no-tests=error -j "$jobs" -L 'unit|contract'
