#!/usr/bin/python3
"""Model, inputs and checks of sparse-matmul.mlir.

  sparse-matmul.mlir.py make DIR     writes DIR/model.mlir: matmuls with
      constant weights of small integers, 90% zeros (seed 9), for M = 1, 3,
      8, 40 and a dynamic M, one with K = 40000 (i32 row indices) and one
      accumulating into its init; weights with 70% of their 1 x 16 blocks
      zero (blk*: M = 1, 5, dynamic, accumulating); products that write
      their M x N result transposed from tiles (tposed*, int8t: M and N
      a multiple of 64, N of the lanes); products whose threads transpose
      the activation themselves (*parts: M and K multiples of the lanes;
      3, 7 and 2 tiles of columns); and the inputs (small integers: every
      sum is exact in f32)
  sparse-matmul.mlir.py check DIR    compares each output with numpy's
      product and prints "<func> exact"

With a third argument `paired`, the cases of sparse-paired.mlir instead:
half of the weights zero (p*: at random, pnm: 2:4 along K), so that many
rows are shared by both columns of a pair.
"""
import json
import os
import sys

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
import checks  # noqa: E402

# name: (M, K, N, M of the function's type or None for dynamic)
CASES = {"m1": (1, 96, 40, 1), "m3": (3, 96, 40, 3), "m8": (8, 96, 40, 8),
         "m40": (40, 96, 40, 40), "dyn": (5, 96, 40, None),
         "wide_k": (2, 40000, 8, 2), "acc": (4, 64, 24, 4),
         "blk1": (1, 64, 48, 1), "blk5": (5, 64, 48, 5),
         "blkdyn": (3, 64, 48, None), "blkacc": (2, 64, 32, 2),
         "blocked": (70, 300, 70, 70), "blockdyn": (20, 300, 24, None),
         "half": (64, 256, 32, 64),
         "int8col": (64, 300, 24, 64), "int8tensor": (3, 96, 40, 3),
         "tposed": (128, 200, 80, 128), "tposedblk": (64, 600, 48, 64),
         "int8t": (64, 300, 32, 64), "parts": (32, 512, 150, 32),
         "partst": (64, 512, 400, 64), "int8parts": (64, 512, 96, 64)}

# The cases of sparse-paired.mlir: one row (scalars), 8 (8-lane vectors),
# 70 (a masked chunk; blocks of rows; tiles of 64 and 6 columns), a
# dynamic number, 64 x 512 x 400 at 2:4 (the threads transposing the
# activation themselves; 7 tiles), an init accumulated into, and int8
# codes.
PAIRED_CASES = {"p1": (1, 96, 40, 1), "p8": (8, 96, 40, 8),
                "p70": (70, 300, 70, 70), "pdyn": (20, 300, 24, None),
                "pnm": (64, 512, 400, 64), "pacc": (4, 64, 24, 4),
                "int8p": (64, 300, 32, 64)}
ACCUMULATING = ("acc", "blkacc", "pacc")


def int8_scales(name, n):
    """Scales of the int8 cases: powers of two (products stay exact)."""
    if name == "int8col":
        return [2.0 ** -(j % 3) for j in range(n)]
    return [0.25]


def weight(name):
    m, k, n, _ = CASES[name]
    r = np.random.default_rng(9 + k + n + m)
    w = r.integers(-8, 9, (k, n)).astype(np.float32)
    if name == "pnm":
        # Two of every four consecutive weights along K zero.
        order = np.argsort(r.random((k // 4, 4, n)), axis=1)
        groups = w.reshape(k // 4, 4, n)
        np.put_along_axis(groups, order[:, :2], 0, axis=1)
        return groups.reshape(k, n)
    if name in PAIRED_CASES:
        w[r.random((k, n)) < 0.5] = 0
        w[:, 1] = 0  # an empty column beside a full one
        return w
    if name.startswith("blk"):
        # 70% of the 1 x 16 blocks zero; the last group of columns empty.
        blocks = w.reshape(k, n // 16, 16)
        blocks[r.random((k, n // 16)) < 0.7] = 0
        blocks[:, -1] = 0
        return blocks.reshape(k, n)
    w[r.random((k, n)) < (0.5 if name == "half" else 0.9)] = 0
    w[:, 1] = 0  # an empty column
    return w


def dense(a):
    return "dense<%s>" % json.dumps(a.astype(int).tolist()).replace(
        ",", ".0,").replace("]", ".0]").replace("].0", "]")


def make(d):
    funcs = []
    for name, (m, k, n, static_m) in CASES.items():
        w = weight(name)
        mt = "?" if static_m is None else str(m)
        rows = "" if static_m is not None else """
  %%c0 = arith.constant 0 : index
  %%m = tensor.dim %%x, %%c0 : tensor<?x%(k)dxf32>""" % dict(k=k)
        empty = "tensor.empty(%m)" if static_m is None else "tensor.empty()"
        acc = name in ACCUMULATING
        extra = ", %%c: tensor<%sx%dxf32>" % (mt, n) if acc else ""
        init = "%c" if acc else "%f"
        weight_text = "%%w = arith.constant %s : tensor<%dx%dxf32>" % (
            dense(w) if name != "wide_k" else "dense_resource<wide_k>", k, n)
        if name.startswith("int8"):
            scales = int8_scales(name, n)
            axis = ", axis = 1" if len(scales) > 1 else ""
            weight_text = (
                "%%codes = arith.constant dense<%s> : tensor<%dx%dxi8>\n"
                "  %%w = compress.dequantize %%codes : tensor<%dx%dxi8> -> "
                "tensor<%dx%dxf32>, #compress.quant<i8, scales = %s, "
                "zero_points = %s%s>" % (
                    json.dumps(w.astype(int).tolist()), k, n, k, n, k, n,
                    json.dumps(scales), json.dumps([0] * len(scales)), axis))
            w = w * np.array(scales, np.float32)
        np.save(os.path.join(d, "w_%s.npy" % name), w)
        funcs.append("""func.func @%(name)s(%%x: tensor<%(mt)sx%(k)dxf32>%(extra)s) -> tensor<%(mt)sx%(n)dxf32> {%(rows)s
  %(weight)s
  %%z = arith.constant 0.0 : f32
  %%e = %(empty)s : tensor<%(mt)sx%(n)dxf32>
  %%f = linalg.fill ins(%%z : f32) outs(%%e : tensor<%(mt)sx%(n)dxf32>) -> tensor<%(mt)sx%(n)dxf32>
  %%y = linalg.matmul ins(%%x, %%w : tensor<%(mt)sx%(k)dxf32>, tensor<%(k)dx%(n)dxf32>) outs(%(init)s : tensor<%(mt)sx%(n)dxf32>) -> tensor<%(mt)sx%(n)dxf32>
  return %%y : tensor<%(mt)sx%(n)dxf32>
}
""" % dict(name=name, mt=mt, k=k, n=n, weight=weight_text, rows=rows,
            empty=empty, extra=extra, init=init))
        r = np.random.default_rng(3)
        np.save(os.path.join(d, "x_%s.npy" % name),
                r.integers(-4, 5, (m, k)).astype(np.float32))
        if name in ACCUMULATING:
            np.save(os.path.join(d, "c_%s.npy" % name),
                    r.integers(-4, 5, (m, n)).astype(np.float32))
    with open(os.path.join(d, "model.mlir"), "w") as f:
        f.write("\n".join(funcs))
        if "wide_k" in CASES:
            blob = weight("wide_k")
            hexdata = "0x04000000" + blob.astype("<f4").tobytes().hex().upper()
            f.write('\n{-#\n  dialect_resources: {\n    builtin: {\n'
                    '      wide_k: "%s"\n    }\n  }\n#-}\n' % hexdata)


def check(d):
    for name in CASES:
        x = np.load(os.path.join(d, "x_%s.npy" % name)).astype(np.float64)
        w = np.load(os.path.join(d, "w_%s.npy" % name)).astype(np.float64)
        want = x @ w
        if name in ACCUMULATING:
            want += np.load(os.path.join(d, "c_%s.npy" % name))
        got = np.load(os.path.join(d, "y_%s.npy" % name))
        checks.print_exact(name, got, want)


if __name__ == "__main__":
    if sys.argv[3:] == ["paired"]:
        CASES = PAIRED_CASES
    {"make": make, "check": check}[sys.argv[1]](sys.argv[2])
