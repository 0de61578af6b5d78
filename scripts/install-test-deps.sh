#!/usr/bin/env bash
# Installs what the tests need beyond the build (scripts/install-deps.sh): Chromium for the
# dashboard's browser tests, and Node.js with npm to run them (playwright-core comes from the
# npm registry, by `npm ci` in the build). A node that is already there (Debian's, or another
# build of it that bundles npm) is kept. Idempotent: does nothing when everything is there.
set -euo pipefail

packages=(chromium fonts-dejavu-core)
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  packages+=(nodejs npm)
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
