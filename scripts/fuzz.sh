#!/usr/bin/env bash
# Fuzzes compress for a bounded time in the ASan + UBSan build
# (build-sanitize/), with the seeded mutation driver of tools/compress-fuzz:
#
#   compress-fuzz-mlir  MLIR text (corpus: every test/**/*.mlir, cut at its
#                       `// -----` lines) parsed, verified and run through
#                       every pass of the project, a quarter of the inputs
#                       through a compress-to-llvm pipeline
#   compress-fuzz-npy   the .npy reader (corpus: tools/compress-fuzz/
#                       make_npy_corpus.py)
#
#   scripts/fuzz.sh                  120 s MLIR + 30 s .npy, -seed=1
#   scripts/fuzz.sh --scale 4        four times as long
#   scripts/fuzz.sh --seed 7         other mutations
#
# Fails (exit 1) on a crash, a sanitizer report, an input running longer
# than 60 s, or a broken invariant of a target; the input is written to
# build-sanitize/fuzz/ with the command that replays it. Crashes of MLIR's
# parser (an op parser or parseSourceString on the stack, no frame of the
# project's code above it) and invalid IR left by an upstream pass are kept
# there as upstream-crash-<n> and do not fail the run. Installs missing packages, configures and builds first;
# idempotent.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

scale=1
seed=1
while [ $# -gt 0 ]; do
  case "$1" in
    --scale) scale="$2"; shift ;;
    --seed) seed="$2"; shift ;;
    -h|--help) sed -n '2,22p' "$0"; exit 0 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
  shift
done

install_packages
cd "$COMPRESS_ROOT"
dir=build-sanitize
configure_and_build "$dir" "${SANITIZE_CMAKE_ARGS[@]}"
export_sanitizer_options
# Symbolized stacks (the driver tells upstream crashes from ours by them);
# allocations over 2 GiB and more than 6 GiB resident are failures.
export ASAN_SYMBOLIZER_PATH="$LLVM_PREFIX/bin/llvm-symbolizer"
export LLVM_SYMBOLIZER_PATH="$ASAN_SYMBOLIZER_PATH"
export ASAN_OPTIONS="$ASAN_OPTIONS:max_allocation_size_mb=2048:hard_rss_limit_mb=6144"

work="$dir/fuzz"
rm -rf "$work"
mkdir -p "$work/npy-corpus"
"$PYTHON" tools/compress-fuzz/make_npy_corpus.py "$work/npy-corpus"

common=(-seed="$seed" -timeout=60 -artifact_prefix="$work/")
start=$SECONDS
log "fuzzing MLIR text through every pass ($((120 * scale)) s)"
"$dir/bin/compress-fuzz-mlir" "${common[@]}" -runs=-1 \
  -max_total_time=$((120 * scale)) \
  -text=1 -split='// -----' -ext=.mlir \
  -upstream_frame=mlir::parseSourceString '-upstream_frame=Op::parse(mlir::OpAsmParser' \
  -upstream_frame=compressFuzzUpstreamInvalidIR \
  -own_frame=mlir::compress:: -own_frame=N4mlir8compress \
  test
log "fuzzing the .npy reader ($((30 * scale)) s)"
"$dir/bin/compress-fuzz-npy" "${common[@]}" -runs=-1 \
  -max_total_time=$((30 * scale)) "$work/npy-corpus"
log "fuzzing finished in $((SECONDS - start)) s"
