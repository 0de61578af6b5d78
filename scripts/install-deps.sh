#!/usr/bin/env bash
# Installs what valet needs to build and test on Debian 12. Idempotent: does nothing when every
# package is already there.
#
#   scripts/install-deps.sh           what the build needs
#   scripts/install-deps.sh --tests   and what the tests need beyond it: Chromium for the
#                                     dashboard's browser tests, and Node.js with npm to run them
#                                     (playwright-core comes from the npm registry, by `npm ci` in
#                                     the build). A node that is already there (Debian's, or
#                                     another build of it that bundles npm) is kept.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config curl
  libpoco-dev libyaml-cpp-dev nlohmann-json3-dev
  libgtest-dev libgmock-dev
  libpq-dev default-libmysqlclient-dev libhiredis-dev librabbitmq-dev
  libgrpc++-dev libprotobuf-dev protobuf-compiler protobuf-compiler-grpc
  libssl-dev openssl
  libabsl-dev tzdata
)
if [ "${1:-}" = "--tests" ]; then
  packages+=(chromium fonts-dejavu-core)
  if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
    packages+=(nodejs npm)
  fi
fi

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" ||
    missing+=("$package")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "installing: ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
