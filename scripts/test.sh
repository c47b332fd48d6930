#!/usr/bin/env bash
# Runs every test of compress: the lit suite (dialect, passes, pipelines,
# integration tests that execute lowered code, compress-run, the bundled
# models, the C API), then (Release) the Python package's pytest suite
# (test/python: the ONNX importer against ONNX's backend test data and
# torch, the API, the CLI). The sanitizer build runs the lit suite only:
# Python cannot load an ASan-instrumented library without preloading the
# sanitizer runtime.
#
#   scripts/test.sh              Release build in build/, then all tests
#   scripts/test.sh --sanitize   Debug build with ASan + UBSan in build-sanitize/,
#                                then all tests under the sanitizers
#
# Installs missing Debian packages, configures and builds first; idempotent.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

mode=release
for arg in "$@"; do
  case "$arg" in
    --sanitize) mode=sanitize ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    *) echo "unknown argument: $arg" >&2; exit 2 ;;
  esac
done

install_packages
cd "$COMPRESS_ROOT"
if [ "$mode" = release ]; then
  dir=build
  configure_and_build "$dir" -DCMAKE_BUILD_TYPE=Release
else
  dir=build-sanitize
  configure_and_build "$dir" "${SANITIZE_CMAKE_ARGS[@]}"
  export_sanitizer_options
fi

log "running the lit suite ($dir)"
"$LLVM_PREFIX/bin/lit" -sv "$dir/test"

if [ "$mode" = release ]; then
  log "running the Python tests (test/python)"
  COMPRESS_BUILD_DIR="$COMPRESS_ROOT/$dir" /usr/bin/python3 -m pytest -q \
    -p no:cacheprovider "$COMPRESS_ROOT/test/python"
fi
