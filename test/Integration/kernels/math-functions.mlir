// Math functions inside vectorized elementwise kernels, compiled and run:
// exp, log, sqrt, powf, absf (LLVM intrinsics), tanh and erf (libm calls,
// element by element on the vectors; erf is the exact form of GELU in ONNX
// models), over 37 elements (two 16-lane vectors and a tail), against
// Python's math module to 2e-6 relative.
//
// REQUIRES: host-supports-jit
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python -c "import numpy as n; n.save('%t/x.npy', n.linspace(-3, 3, 37, dtype=n.float32))"
// RUN: compress-run %s -e f --input %t/x.npy --output %t/y.npy
// RUN: %python -c "import math, numpy as n; x = n.load('%t/x.npy').astype(float); y = n.load('%t/y.npy'); \
// RUN:   w = n.array([math.erf(v) + math.tanh(v) + math.exp(v) * 0.25 + math.log(abs(v) + 1) + math.sqrt(abs(v)) + (abs(v) + 0.5) ** 1.5 for v in x]); \
// RUN:   e = n.max(n.abs(y - w) / n.abs(w)); print('ok' if e <= 2e-6 else 'BAD %%g' %% e)" | FileCheck %s
// CHECK: ok

#map = affine_map<(d0) -> (d0)>
func.func @f(%x: tensor<37xf32>) -> tensor<37xf32> {
  %e = tensor.empty() : tensor<37xf32>
  %y = linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel"]} ins(%x : tensor<37xf32>) outs(%e : tensor<37xf32>) {
  ^bb0(%a: f32, %o: f32):
    %one = arith.constant 1.0 : f32
    %half = arith.constant 0.5 : f32
    %quarter = arith.constant 0.25 : f32
    %p = arith.constant 1.5 : f32
    %erf = math.erf %a : f32
    %tanh = math.tanh %a : f32
    %exp = math.exp %a : f32
    %abs = math.absf %a : f32
    %abs1 = arith.addf %abs, %one : f32
    %log = math.log %abs1 : f32
    %sqrt = math.sqrt %abs : f32
    %base = arith.addf %abs, %half : f32
    %pow = math.powf %base, %p : f32
    %s1 = arith.addf %erf, %tanh : f32
    %e4 = arith.mulf %exp, %quarter : f32
    %s2 = arith.addf %s1, %e4 : f32
    %s3 = arith.addf %s2, %log : f32
    %s4 = arith.addf %s3, %sqrt : f32
    %s5 = arith.addf %s4, %pow : f32
    linalg.yield %s5 : f32
  } -> tensor<37xf32>
  return %y : tensor<37xf32>
}
