#!/usr/bin/env bash
# Runs the benchmarks (not part of the test command): builds compress
# (Release), installs the peers from Debian (OpenBLAS for numpy, PyTorch,
# matplotlib), then runs
#   benchmarks/quantize.py  int8 kernels against fp32 (ours)
#   benchmarks/codegen.py   our kernels against numpy/OpenBLAS and PyTorch,
#                           1 and 2 threads, with a plot
# and writes their tables to build/benchmarks/.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

COMPRESS_PACKAGES+=(libopenblas0-pthread python3-torch python3-matplotlib)
install_packages
cd "$COMPRESS_ROOT"
configure_and_build build -DCMAKE_BUILD_TYPE=Release
mkdir -p build/benchmarks
/usr/bin/python3 benchmarks/quantize.py --markdown build/benchmarks/quantize.md
/usr/bin/python3 benchmarks/codegen.py --markdown build/benchmarks/codegen.md \
  --plot build/benchmarks/codegen.png
