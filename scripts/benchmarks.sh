#!/usr/bin/env bash
# Runs the benchmarks (not part of the test command): builds compress
# (Release), installs the peers (from Debian: OpenBLAS for numpy, PyTorch,
# onnx, matplotlib; from npm: ONNX Runtime 1.30, onnxruntime-node, whose
# install script is skipped because it downloads GPU binaries), then runs
#   benchmarks/quantize.py  every quantization variant against fp32 (ours)
#                           and ONNX Runtime MatMul/MatMulNBits, 1 and 2
#                           threads, with a verdict per variant
#   benchmarks/codegen.py   our code against numpy/OpenBLAS, PyTorch and
#                           ONNX Runtime: GEMM, conv (f32 boundary and
#                           integer-only), ResNet-18; 1 and 2
#                           threads; machine peak; with a plot
#   benchmarks/prune.py     pruned layers and models (docs/pruning.md)
#   benchmarks/decompose.py low-rank factors of linear layers and
#                           convolutions, ResNet-18, cost
#                           (docs/decomposition.md)
# and writes their tables to build/benchmarks/.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

COMPRESS_PACKAGES+=(libopenblas0-pthread python3-torch python3-onnx
                    python3-matplotlib)
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  COMPRESS_PACKAGES+=(nodejs npm)
fi
install_packages
cd "$COMPRESS_ROOT"
configure_and_build build -DCMAKE_BUILD_TYPE=Release
mkdir -p build/benchmarks
ort_dir=build/benchmarks/ort
if [ ! -f "$ort_dir/node_modules/onnxruntime-node/package.json" ]; then
  log "installing onnxruntime-node 1.30.0 (npm) into $ort_dir"
  npm install --prefix "$ort_dir" onnxruntime-node@1.30.0 --ignore-scripts \
    --no-audit --no-fund
fi
/usr/bin/python3 benchmarks/quantize.py --threads 1,2 --processes 3 --ort "$ort_dir" \
  --markdown build/benchmarks/quantize.md
/usr/bin/python3 benchmarks/prune.py --threads 1,2 --processes 3 --ort "$ort_dir" \
  --markdown build/benchmarks/prune.md
/usr/bin/python3 benchmarks/codegen.py --ort "$ort_dir" --rounds 10 \
  --markdown build/benchmarks/codegen.md --plot build/benchmarks/codegen.png
/usr/bin/python3 benchmarks/decompose.py --threads 1,2 --processes 2 \
  --ort "$ort_dir" --markdown build/benchmarks/decompose.md \
  --plot build/benchmarks/decompose.png
