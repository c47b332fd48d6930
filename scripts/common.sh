# Shared set-up for scripts/test.sh and scripts/demo.sh: install what is
# missing, configure and build. Source it; do not run it.

COMPRESS_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LLVM_PREFIX=/usr/lib/llvm-22
PYTHON=/usr/bin/python3
# ccache rewrites paths under the checkout to relative ones, so worktrees and
# fresh clones in other directories share cache entries.
export CCACHE_BASEDIR="${CCACHE_BASEDIR:-$COMPRESS_ROOT}"

# Debian packages the build, the tests and the demo need.
COMPRESS_PACKAGES=(
  llvm-22-dev libmlir-22-dev mlir-22-tools clang-22 lld-22 clang-format-22
  libomp-22-dev
  llvm-22  # llvm-symbolizer: sanitizer and fuzzer stack traces
  cmake ninja-build ccache g++ python3 python3-numpy
  python3-dev  # headers of the Python package's extension (python/native)
  python3-onnx python3-pytest python3-torch python3-matplotlib python3-tqdm
  # (python/compress and its tests)
  libeigen3-dev  # linear algebra of compress-prune method=reconstruct
)

# CMake arguments of the ASan + UBSan build in build-sanitize/ (test.sh
# --sanitize, fuzz.sh).
SANITIZE_CMAKE_ARGS=(
  -DCMAKE_BUILD_TYPE=Debug
  -DLLVM_USE_SANITIZER=Address
  -DCMAKE_CXX_FLAGS="-fsanitize=undefined -fno-sanitize-recover=all"
  -DCMAKE_C_FLAGS="-fsanitize=undefined -fno-sanitize-recover=all"
  -DCMAKE_EXE_LINKER_FLAGS="-fsanitize=undefined"
  -DCMAKE_SHARED_LINKER_FLAGS="-fsanitize=undefined"
)

# Run-time options of the sanitizer build: any report aborts the process.
# allow_user_poisoning=0: our instrumented code and the uninstrumented
# libMLIR.so share MLIR's BumpPtrAllocator slabs (attribute storage); the
# instrumented header poisons fresh slabs, the library's inlined copy hands
# out memory from them without unpoisoning, and every later write looked
# like a use-after-poison. Real heap errors are still caught.
export_sanitizer_options() {
  export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:halt_on_error=1:allow_user_poisoning=0"
  export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
  export LSAN_OPTIONS="suppressions=$COMPRESS_ROOT/scripts/lsan.supp:print_suppressions=0"
}

log() { printf '\033[1m==> %s\033[0m\n' "$*"; }

# Installs the packages that are missing (idempotent; apt-get only when needed).
install_packages() {
  local missing=()
  for pkg in "${COMPRESS_PACKAGES[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
      missing+=("$pkg")
    fi
  done
  if [ ${#missing[@]} -eq 0 ]; then
    return
  fi
  log "installing: ${missing[*]}"
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  $sudo apt-get update -q
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
}

# configure_and_build BUILD_DIR [extra cmake args...]
configure_and_build() {
  local dir="$1"; shift
  if [ ! -f "$dir/build.ninja" ]; then
    log "configuring $dir"
    cmake -G Ninja -S "$COMPRESS_ROOT" -B "$dir" \
      -DMLIR_DIR="$LLVM_PREFIX/lib/cmake/mlir" \
      -DPython3_EXECUTABLE="$PYTHON" \
      -DLLVM_USE_LINKER=lld \
      -DCMAKE_C_COMPILER_LAUNCHER=ccache -DCMAKE_CXX_COMPILER_LAUNCHER=ccache \
      "$@"
  fi
  log "building $dir"
  cmake --build "$dir" --target compress-opt compress-run all
}
