#!/usr/bin/env bash
# Runs every test of compress: the lit suite (dialect, passes, pipelines,
# integration tests that execute lowered code, compress-run, the bundled
# models, the C API).
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
  configure_and_build "$dir" -DCMAKE_BUILD_TYPE=Debug \
    -DLLVM_USE_SANITIZER=Address \
    -DCMAKE_CXX_FLAGS="-fsanitize=undefined -fno-sanitize-recover=all" \
    -DCMAKE_C_FLAGS="-fsanitize=undefined -fno-sanitize-recover=all" \
    -DCMAKE_EXE_LINKER_FLAGS="-fsanitize=undefined" \
    -DCMAKE_SHARED_LINKER_FLAGS="-fsanitize=undefined"
  # Any sanitizer report aborts the process, which fails its test.
  # allow_user_poisoning=0: our instrumented code and the uninstrumented
  # libMLIR.so share MLIR's BumpPtrAllocator slabs (attribute storage); the
  # instrumented header poisons fresh slabs, the library's inlined copy hands
  # out memory from them without unpoisoning, and every later write looked
  # like a use-after-poison. Real heap errors are still caught.
  export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:halt_on_error=1:allow_user_poisoning=0"
  export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
  export LSAN_OPTIONS="suppressions=$COMPRESS_ROOT/scripts/lsan.supp:print_suppressions=0"
fi

log "running the lit suite ($dir)"
"$LLVM_PREFIX/bin/lit" -sv "$dir/test"
