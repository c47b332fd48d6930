#!/usr/bin/env bash
# The compress demo: compiles the bundled digits models (an MLP and a CNN,
# examples/digits) to native code, runs them on the held-out images and prints
# size, latency and accuracy.
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

printf '\n%-6s %10s %12s %14s %14s %10s\n' model params "weight bytes" "median ms" "min ms" accuracy
for model in mlp cnn; do
  timing="$(build/bin/compress-run "$examples/$model.mlir" -e predict \
    --input "$examples/test_x.npy" --output "$out/$model.npy" --repeat 20)"
  median="$(sed -n 's/.*median \([0-9.]*\) ms.*/\1/p' <<<"$timing")"
  min="$(sed -n 's/.*min \([0-9.]*\) ms.*/\1/p' <<<"$timing")"
  accuracy="$("$PYTHON" "$examples/evaluate.py" "$out/$model.npy" "$examples/test_y.npy" \
    --reference "$examples/reference_${model}_logits.npy" | sed -n 's/^accuracy: \([0-9.]*\).*/\1/p')"
  read -r params bytes < <("$PYTHON" -c "
import json, sys
m = json.load(open('$examples/reference.json'))['models']['$model']
print(m['num_params'], m['weight_bytes'])")
  printf '%-6s %10s %12s %14s %14s %10s\n' "$model" "$params" "$bytes" "$median" "$min" "$accuracy"
done
echo
echo "Latency: one call on all 360 held-out images (batch 360), fp32, 1 thread."
echo "Accuracy: top-1 on the held-out split; logits match the numpy reference."
