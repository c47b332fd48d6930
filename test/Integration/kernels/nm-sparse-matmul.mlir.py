#!/usr/bin/python3
"""Model, inputs and checks of nm-sparse-matmul.mlir.

  nm-sparse-matmul.mlir.py make DIR     writes DIR/model.mlir: matmuls with
      constant n:m weights of small integers (n of every m consecutive
      weights along K kept, some kept weights zero; seed 4) and their
      inputs (small integers: every sum is exact in f32)
  nm-sparse-matmul.mlir.py check DIR    compares each output with numpy's
      product and prints "<func> exact"
"""
import json
import os
import sys

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
import checks  # noqa: E402

# name: (M, K, N, n, m, M of the function's type or None for dynamic,
#        accumulate, int8 codes)
CASES = {
    "one_row": (1, 96, 40, 2, 4, 1, False, False),
    "five_rows": (5, 100, 32, 2, 4, 5, False, False),
    "dynamic": (11, 64, 48, 1, 4, None, False, False),
    "half": (3, 34, 16, 1, 2, 3, False, False),
    "accumulate": (2, 64, 20, 2, 4, 2, True, False),
    "codes": (2, 96, 40, 2, 4, 2, False, True),
}


def weight(name):
    _, k, n, keep, m, _, _, _ = CASES[name]
    r = np.random.default_rng(4 + k + n)
    w = np.zeros((k, n), np.float32)
    for g in range(k // m):
        for c in range(n):
            rows = g * m + r.choice(m, keep, replace=False)
            w[rows, c] = r.integers(-8, 9, keep)
    return w


def scales(name):
    """Per-column scales of the int8 case: powers of two (exact)."""
    return [2.0 ** -(j % 3) for j in range(CASES[name][2])]


def make(d):
    funcs = []
    for name, (m_rows, k, n, _, _, static_m, acc, codes) in CASES.items():
        w = weight(name)
        mt = "?" if static_m is None else str(m_rows)
        rows = "" if static_m is not None else """
  %%c0 = arith.constant 0 : index
  %%m = tensor.dim %%x, %%c0 : tensor<?x%(k)dxf32>""" % dict(k=k)
        empty = "tensor.empty(%m)" if static_m is None else "tensor.empty()"
        extra = ", %%c: tensor<%sx%dxf32>" % (mt, n) if acc else ""
        if codes:
            s = scales(name)
            weight_text = (
                "%%codes = arith.constant dense<%s> : tensor<%dx%dxi8>\n"
                "  %%w = compress.dequantize %%codes : tensor<%dx%dxi8> -> "
                "tensor<%dx%dxf32>, #compress.quant<i8, scales = %s, "
                "zero_points = %s, axis = 1>" % (
                    json.dumps(w.astype(int).tolist()), k, n, k, n, k, n,
                    json.dumps(s), json.dumps([0] * len(s))))
            w = w * np.array(s, np.float32)
        else:
            weight_text = "%%w = arith.constant dense<%s> : tensor<%dx%dxf32>" % (
                json.dumps(w.tolist()), k, n)
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
           empty=empty, extra=extra, init="%c" if acc else "%f"))
        r = np.random.default_rng(3)
        np.save(os.path.join(d, "x_%s.npy" % name),
                r.integers(-4, 5, (m_rows, k)).astype(np.float32))
        if acc:
            np.save(os.path.join(d, "c_%s.npy" % name),
                    r.integers(-4, 5, (m_rows, n)).astype(np.float32))
    with open(os.path.join(d, "model.mlir"), "w") as f:
        f.write("\n".join(funcs))


def check(d):
    for name, case in CASES.items():
        x = np.load(os.path.join(d, "x_%s.npy" % name)).astype(np.float64)
        w = np.load(os.path.join(d, "w_%s.npy" % name)).astype(np.float64)
        want = x @ w
        if case[6]:
            want += np.load(os.path.join(d, "c_%s.npy" % name))
        got = np.load(os.path.join(d, "y_%s.npy" % name))
        checks.print_exact(name, got, want)


if __name__ == "__main__":
    {"make": make, "check": check}[sys.argv[1]](sys.argv[2])
