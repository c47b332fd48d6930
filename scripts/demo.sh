#!/usr/bin/env bash
# The compress demo: compiles the bundled digits models (an MLP and a CNN,
# examples/digits) to native code, fp32 and quantized, runs them on the
# held-out images and prints weight size, latency and accuracy of each.
#
# Installs missing Debian packages, configures and builds first; idempotent.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

install_packages
cd "$COMPRESS_ROOT"
configure_and_build build -DCMAKE_BUILD_TYPE=Release

examples="$COMPRESS_ROOT/examples/digits"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT

# Calibration batches for static quantization: the training images, 256 at a
# time.
"$PYTHON" -c "
import numpy as np
x = np.load('$examples/train_x.npy')
for i in range(0, len(x), 256):
    np.save('$out/train%d.npy' % (i // 256), x[i:i + 256])"
calibration_inputs=()
for f in "$out"/train*.npy; do calibration_inputs+=(--input "$f"); done

printf '\n%-6s %-34s %12s %8s %11s %10s\n' model variant "weight bytes" ratio "median ms" accuracy
for model in mlp cnn; do
  build/bin/compress-opt "$examples/$model.mlir" --compress-instrument -o "$out/$model.instrumented.mlir"
  build/bin/compress-run "$out/$model.instrumented.mlir" -e predict "${calibration_inputs[@]}" \
    --calibration-out "$out/$model.calibration.json" --output "$out/unused.npy"
  variants=(
    "fp32|"
    "int8 weight-only, per channel|bits=8"
    "int4 weight-only, per channel|bits=4"
    "int8 static (calibrated), integer|mode=static calibration=$out/$model.calibration.json"
    "int8 dynamic, integer|mode=dynamic"
    "bf16 weights|float-type=bf16"
  )
  for variant in "${variants[@]}"; do
    name="${variant%%|*}"
    options="${variant#*|}"
    if [[ -n "$options" ]]; then
      build/bin/compress-opt "$examples/$model.mlir" --compress-quantize="$options" -o "$out/q.mlir"
    else
      cp "$examples/$model.mlir" "$out/q.mlir"
    fi
    read -r bytes ratio < <(build/bin/compress-opt "$out/q.mlir" --compress-report -o /dev/null 2>&1 |
      "$PYTHON" -c "import json, sys; t = json.load(sys.stdin)['total']; print(t['bytes'], '%.3f' % t['ratio'])")
    timing="$(build/bin/compress-run "$out/q.mlir" -e predict \
      --input "$examples/test_x.npy" --output "$out/$model.npy" --repeat 20)"
    median="$(sed -n 's/.*median \([0-9.]*\) ms.*/\1/p' <<<"$timing")"
    accuracy="$("$PYTHON" "$examples/evaluate.py" "$out/$model.npy" "$examples/test_y.npy" |
      sed -n 's/^accuracy: \([0-9.]*\).*/\1/p')"
    printf '%-6s %-34s %12s %8s %11s %10s\n' "$model" "$name" "$bytes" "$ratio" "$median" "$accuracy"
  done
done
echo
echo "Weight bytes: stored weights of the matmuls/convolutions (codes, scales,"
echo "zero points) from --compress-report; ratio against fp32."
echo "Latency: one call on all 360 held-out images (batch 360), 1 thread. These"
echo "models are tiny (8x8 images, 1->8->16 channels): int8 activations cost more in"
echo "quantization passes than they save; see docs/benchmarks.md for ResNet-18."
echo "Accuracy: top-1 on the held-out split (fp32 logits match the numpy reference)."
