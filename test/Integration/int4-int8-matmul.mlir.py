#!/usr/bin/python3
"""Model and reference of int4-int8-matmul.mlir.

  int4-int8-matmul.mlir.py model OUT.mlir   writes the model: i8 x i4 -> i32
      contractions with constant 4-bit weights (seed 3) that take all 16
      codes in every column, as linalg.generic ops
  int4-int8-matmul.mlir.py check FUNC X.npy Y.npy   compares Y with the exact
      integer product of X and FUNC's weight and prints "FUNC exact"
"""
import sys

import numpy as np

SHAPES = {"wide": (71, 45), "narrow": (71, 9)}


def weight(name):
    k, n = SHAPES[name]
    r = np.random.default_rng(3 + n)
    w = r.integers(-8, 8, (k, n))
    # Rows 0-15 of every column: each code once (in a column's own order).
    for j in range(n):
        w[:16, j] = r.permutation(np.arange(-8, 8))
    return w


def model(path):
    out = []
    for name, (k, n) in SHAPES.items():
        w = weight(name)
        out.append(f"""func.func @{name}(%x: tensor<?x{k}xi8>) -> tensor<?x{n}xi32> {{
  %w = arith.constant dense<{w.tolist()}> : tensor<{k}x{n}xi4>
  %c0 = arith.constant 0 : index
  %m = tensor.dim %x, %c0 : tensor<?x{k}xi8>
  %e = tensor.empty(%m) : tensor<?x{n}xi32>
  %z = arith.constant 0 : i32
  %c = linalg.fill ins(%z : i32) outs(%e : tensor<?x{n}xi32>) -> tensor<?x{n}xi32>
  %y = linalg.generic {{indexing_maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (k, n)>, affine_map<(m, n, k) -> (m, n)>], iterator_types = ["parallel", "parallel", "reduction"]}}
      ins(%x, %w : tensor<?x{k}xi8>, tensor<{k}x{n}xi4>) outs(%c : tensor<?x{n}xi32>) {{
  ^bb0(%a: i8, %q: i4, %acc: i32):
    %ae = arith.extsi %a : i8 to i32
    %qe = arith.extsi %q : i4 to i32
    %p = arith.muli %ae, %qe : i32
    %s = arith.addi %acc, %p : i32
    linalg.yield %s : i32
  }} -> tensor<?x{n}xi32>
  return %y : tensor<?x{n}xi32>
}}
""")
    with open(path, "w") as f:
        f.write("\n".join(out))


def check(name, x_path, y_path):
    x = np.load(x_path).astype(np.int64)
    y = np.load(y_path)
    ref = x @ weight(name)
    ok = y.dtype == np.int32 and np.array_equal(y, ref)
    print(f"{name} " + ("exact" if ok else
                        f"BAD {np.abs(y.astype(np.int64) - ref).max()}"))


if __name__ == "__main__":
    if sys.argv[1] == "model":
        model(sys.argv[2])
    else:
        check(*sys.argv[2:5])
