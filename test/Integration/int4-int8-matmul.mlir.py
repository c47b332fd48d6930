#!/usr/bin/python3
"""Model and reference of int4-int8-matmul.mlir.

  int4-int8-matmul.mlir.py model OUT.mlir   writes the model: i8 x i4 -> i32
      contractions with constant 4-bit weights (seed 3) that take all 16
      codes in every column, as linalg.generic ops (@tall: 37 rows, the
      others any number), and @grouped: the
      per-group form (K = 8 groups of 9, f32 output, each group's products
      times a power-of-two scale per group and column, so every sum is exact
      in f32)
  int4-int8-matmul.mlir.py check FUNC X.npy Y.npy   compares Y with the exact
      integer product of X and FUNC's weight and prints "FUNC exact"
"""
import sys

import numpy as np

SHAPES = {"wide": (71, 45), "narrow": (71, 9), "tall": (71, 45),
          "grouped": (72, 45)}
# Functions with a static number of rows (the others take any).
ROWS = {"tall": 37}
GROUPS, GROUP = 8, 9


def scales():
    """[groups, 45] powers of two in [2^-3, 1]."""
    r = np.random.default_rng(4)
    return np.ldexp(1.0, -r.integers(0, 4, (GROUPS, 45))).astype(np.float32)


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
        if name == "grouped":
            continue
        w = weight(name)
        m = ROWS.get(name, "?")
        empty = ("tensor.empty()" if name in ROWS else
                 f"tensor.empty(%m)")
        out.append(f"""func.func @{name}(%x: tensor<{m}x{k}xi8>) -> tensor<{m}x{n}xi32> {{
  %w = arith.constant dense<{w.tolist()}> : tensor<{k}x{n}xi4>
  %c0 = arith.constant 0 : index
  %m = tensor.dim %x, %c0 : tensor<{m}x{k}xi8>
  %e = {empty} : tensor<{m}x{n}xi32>
  %z = arith.constant 0 : i32
  %c = linalg.fill ins(%z : i32) outs(%e : tensor<{m}x{n}xi32>) -> tensor<{m}x{n}xi32>
  %y = linalg.generic {{indexing_maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (k, n)>, affine_map<(m, n, k) -> (m, n)>], iterator_types = ["parallel", "parallel", "reduction"]}}
      ins(%x, %w : tensor<{m}x{k}xi8>, tensor<{k}x{n}xi4>) outs(%c : tensor<{m}x{n}xi32>) {{
  ^bb0(%a: i8, %q: i4, %acc: i32):
    %ae = arith.extsi %a : i8 to i32
    %qe = arith.extsi %q : i4 to i32
    %p = arith.muli %ae, %qe : i32
    %s = arith.addi %acc, %p : i32
    linalg.yield %s : i32
  }} -> tensor<{m}x{n}xi32>
  return %y : tensor<{m}x{n}xi32>
}}
""")
    w = weight("grouped").reshape(GROUPS, GROUP, 45)
    out.append(f"""func.func @grouped(%x: tensor<?x72xi8>) -> tensor<?x45xf32> {{
  %xg = tensor.expand_shape %x [[0], [1, 2]] output_shape [%m, {GROUPS}, {GROUP}] : tensor<?x72xi8> into tensor<?x{GROUPS}x{GROUP}xi8>
  %w = arith.constant dense<{w.tolist()}> : tensor<{GROUPS}x{GROUP}x45xi4>
  %s = arith.constant dense<{scales().tolist()}> : tensor<{GROUPS}x45xf32>
  %e = tensor.empty(%m) : tensor<?x45xf32>
  %z = arith.constant 0.0 : f32
  %c = linalg.fill ins(%z : f32) outs(%e : tensor<?x45xf32>) -> tensor<?x45xf32>
  %y = linalg.generic {{indexing_maps = [affine_map<(m, n, g, k) -> (m, g, k)>, affine_map<(m, n, g, k) -> (g, k, n)>, affine_map<(m, n, g, k) -> (g, n)>, affine_map<(m, n, g, k) -> (m, n)>], iterator_types = ["parallel", "parallel", "reduction", "reduction"]}}
      ins(%xg, %w, %s : tensor<?x{GROUPS}x{GROUP}xi8>, tensor<{GROUPS}x{GROUP}x45xi4>, tensor<{GROUPS}x45xf32>) outs(%c : tensor<?x45xf32>) {{
  ^bb0(%a: i8, %q: i4, %sc: f32, %acc: f32):
    %ae = arith.extsi %a : i8 to i32
    %qe = arith.extsi %q : i4 to i32
    %p = arith.muli %ae, %qe : i32
    %pf = arith.sitofp %p : i32 to f32
    %t = arith.mulf %pf, %sc : f32
    %r = arith.addf %acc, %t : f32
    linalg.yield %r : f32
  }} -> tensor<?x45xf32>
  return %y : tensor<?x45xf32>
}}
""".replace("{GROUPS}", str(GROUPS)).replace("{GROUP}", str(GROUP)).replace(
        "%xg = ", "%c0 = arith.constant 0 : index\n  %m = tensor.dim %x, %c0 : "
        "tensor<?x72xi8>\n  %xg = "))
    with open(path, "w") as f:
        f.write("\n".join(out))


def check(name, x_path, y_path):
    x = np.load(x_path).astype(np.int64)
    y = np.load(y_path)
    if name == "grouped":
        # Exact integer sums per group, times exact powers of two.
        xg = x.reshape(len(x), GROUPS, GROUP)
        wg = weight(name).reshape(GROUPS, GROUP, -1)
        sums = np.einsum("mgk,gkn->mgn", xg, wg)
        ref = (sums * scales().astype(np.float64)).sum(axis=1)
        ok = y.dtype == np.float32 and np.array_equal(y, ref)
    else:
        ref = x @ weight(name)
        ok = y.dtype == np.int32 and np.array_equal(y, ref)
    print(f"{name} " + ("exact" if ok else
                        f"BAD {np.abs(y.astype(np.int64) - ref).max()}"))


if __name__ == "__main__":
    if sys.argv[1] == "model":
        model(sys.argv[2])
    else:
        check(*sys.argv[2:5])
