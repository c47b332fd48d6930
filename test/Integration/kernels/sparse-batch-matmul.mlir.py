#!/usr/bin/python3
"""Model, inputs and checks of sparse-batch-matmul.mlir.

  sparse-batch-matmul.mlir.py make DIR     writes DIR/model.mlir:
      linalg.batch_matmul with constant B x K x N weights of small integers
      (or int8 codes with power-of-two scales), 90% zeros (seed 11), one
      empty column per batch, and their inputs (small integers: every sum is
      exact in f32)
  sparse-batch-matmul.mlir.py check DIR    compares each output with
      numpy's batched product and prints "<func> exact"
"""
import json
import os
import sys

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
import checks  # noqa: E402

# name: (B, M, K, N, M of the function's type or None for dynamic,
#        accumulate into an input, int8 scales or None)
CASES = {
    "b3": (3, 5, 40, 24, 5, False, None),
    "dyn": (2, 7, 64, 16, None, False, None),
    # 4 x 300 reduction rows x 8 activation rows exceed the L1 cache:
    # blocks of rows that cut through the batches.
    "blocked": (4, 8, 300, 20, 8, True, None),
    "one": (1, 3, 32, 8, 3, False, None),
    "int8col": (2, 3, 48, 16, 3, False, [2.0 ** -(j % 3) for j in range(16)]),
    "int8tensor": (3, 4, 40, 8, 4, True, [0.25]),
}


def weight(name):
    b, _, k, n, _, _, _ = CASES[name]
    r = np.random.default_rng(11 + b + k + n)
    w = r.integers(-8, 9, (b, k, n)).astype(np.float32)
    w[r.random(w.shape) < 0.9] = 0
    w[:, :, 1] = 0  # an empty column in every batch
    return w


def dense(a):
    return "dense<%s>" % json.dumps(a.astype(int).tolist()).replace(
        ",", ".0,").replace("]", ".0]").replace("].0", "]")


def tensor(*shape):
    return "tensor<%sxf32>" % "x".join(
        "?" if s is None else str(s) for s in shape)


def make(d):
    funcs = []
    for name, (b, m, k, n, static_m, acc, scales) in CASES.items():
        w = weight(name)
        xt, wt, yt = tensor(b, static_m, k), tensor(b, k, n), tensor(b, static_m, n)
        weight_text = "%%w = arith.constant %s : %s" % (dense(w), wt)
        if scales:
            codes = wt.replace("f32", "i8")
            axis = ", axis = 2" if len(scales) > 1 else ""
            weight_text = (
                "%%codes = arith.constant dense<%s> : %s\n"
                "  %%w = compress.dequantize %%codes : %s -> %s, "
                "#compress.quant<i8, scales = %s, zero_points = %s%s>" % (
                    json.dumps(w.astype(int).tolist()), codes, codes, wt,
                    json.dumps(scales), json.dumps([0] * len(scales)), axis))
            w = w * np.array(scales, np.float32)
        np.save(os.path.join(d, "w_%s.npy" % name), w)
        if static_m is None:
            rows = ("\n  %%c1 = arith.constant 1 : index\n"
                    "  %%m = tensor.dim %%x, %%c1 : %s" % xt)
            empty = "tensor.empty(%m)"
        else:
            rows, empty = "", "tensor.empty()"
        extra = ", %%c: %s" % yt if acc else ""
        funcs.append("""func.func @%(name)s(%%x: %(xt)s%(extra)s) -> %(yt)s {%(rows)s
  %(weight)s
  %%z = arith.constant 0.0 : f32
  %%e = %(empty)s : %(yt)s
  %%f = linalg.fill ins(%%z : f32) outs(%%e : %(yt)s) -> %(yt)s
  %%y = linalg.batch_matmul ins(%%x, %%w : %(xt)s, %(wt)s) outs(%(init)s : %(yt)s) -> %(yt)s
  return %%y : %(yt)s
}
""" % dict(name=name, xt=xt, wt=wt, yt=yt, weight=weight_text, rows=rows,
           empty=empty, extra=extra, init="%c" if acc else "%f"))
        r = np.random.default_rng(3)
        np.save(os.path.join(d, "x_%s.npy" % name),
                r.integers(-4, 5, (b, m, k)).astype(np.float32))
        if acc:
            np.save(os.path.join(d, "c_%s.npy" % name),
                    r.integers(-4, 5, (b, m, n)).astype(np.float32))
    with open(os.path.join(d, "model.mlir"), "w") as f:
        f.write("\n".join(funcs))


def check(d):
    for name, case in CASES.items():
        x = np.load(os.path.join(d, "x_%s.npy" % name)).astype(np.float64)
        w = np.load(os.path.join(d, "w_%s.npy" % name)).astype(np.float64)
        want = np.einsum("bmk,bkn->bmn", x, w)
        if case[5]:
            want += np.load(os.path.join(d, "c_%s.npy" % name))
        got = np.load(os.path.join(d, "y_%s.npy" % name))
        checks.print_exact(name, got, want)


if __name__ == "__main__":
    {"make": make, "check": check}[sys.argv[1]](sys.argv[2])
