#!/usr/bin/env bash
# Installs what xfu needs from Debian 12's archive (only what is missing),
# builds it, and then runs it or its tests.
#
#   ./setup.sh run    build xfu, then: xfu list dipper --branch weekly (built-in catalog)
#   ./setup.sh test   build with the tests, then run the whole test suite twice:
#                     as built, and built with AddressSanitizer and
#                     UndefinedBehaviorSanitizer
#   ./setup.sh build  build with the tests, but run nothing
set -euo pipefail
cd "$(dirname "$0")"

build_packages=(g++ cmake make libcli11-dev nlohmann-json3-dev libssl-dev libcurl4-openssl-dev libzstd-dev libarchive-dev zlib1g-dev ca-certificates)
# The suite also runs a test server, nginx, real shells, man and dpkg tools.
test_packages=(libgtest-dev python3 python3-yaml curl nginx-light zsh fish bash-completion mandoc man-db dpkg-dev file openssl jq)

install_missing() {  # install_missing PACKAGE...
  local missing=()
  for package in "$@"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
  done
  [ ${#missing[@]} -eq 0 ] && return
  echo "setup: installing ${missing[*]}" >&2
  local sudo=()
  [ "$(id -u)" -eq 0 ] || sudo=(sudo)
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

build() {  # build [DIR [CMAKE ARGS...]]
  local dir=${1:-build}
  shift || true
  cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" >/dev/null
  cmake --build "$dir" -j"$(nproc)"
}

case "${1:-run}" in
  run)
    install_missing "${build_packages[@]}"
    build build -DXFU_BUILD_TESTS=OFF >/dev/null
    ./build/xfu --catalog builtin list dipper --branch weekly
    ;;
  test)
    install_missing "${build_packages[@]}" "${test_packages[@]}"
    build build -DXFU_BUILD_TESTS=ON
    build build-sanitize -DXFU_SANITIZE=ON -DXFU_BUILD_TESTS=ON
    echo "setup: the test suite, as built" >&2
    ctest --test-dir build --output-on-failure -j"$(nproc)"
    echo "setup: the test suite, with AddressSanitizer and UndefinedBehaviorSanitizer" >&2
    ctest --test-dir build-sanitize --output-on-failure -j"$(nproc)"
    ;;
  build)
    install_missing "${build_packages[@]}" "${test_packages[@]}"
    build build -DXFU_BUILD_TESTS=ON
    ;;
  *)
    echo "usage: $0 [run|test|build]" >&2
    exit 2
    ;;
esac
