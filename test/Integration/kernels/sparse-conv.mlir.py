#!/usr/bin/python3
"""Models, inputs and checks of sparse-conv.mlir.

  sparse-conv.mlir.py make DIR     writes DIR/model.mlir: stride-1
      convolutions (tensor.pad then linalg.conv_2d_*) with constant weights
      of small integers, 90% zeros (seed 5) and one empty filter, and their
      inputs (small integers: every sum is exact in f32)
  sparse-conv.mlir.py check DIR    compares each output with a numpy
      convolution and prints "<func> exact"
"""
import json
import os
import sys

import numpy as np

# name: (layout, N, C, H, W, F, KH, KW, padding, accumulate into an input)
CASES = {
    "k3": ("nchw", 1, 8, 10, 12, 16, 3, 3, 1, False),
    "k1": ("nchw", 1, 16, 7, 7, 24, 1, 1, 0, False),
    "k53": ("nchw", 2, 6, 9, 11, 10, 5, 3, 0, True),
    "blocked": ("nchw", 1, 64, 14, 14, 70, 3, 3, 1, False),
    "wide": ("nchw", 1, 3642, 1, 1, 4, 3, 3, 1, False),
    "hwcf": ("hwcf", 1, 8, 9, 9, 12, 3, 3, 1, False),
    "fhwc": ("fhwc", 2, 8, 9, 9, 12, 3, 3, 1, True),
}


def shapes(name):
    layout, n, c, h, w, f, kh, kw, p, _ = CASES[name]
    hp, wp = h + 2 * p, w + 2 * p
    oh, ow = hp - kh + 1, wp - kw + 1
    if layout == "nchw":
        return ((n, c, h, w), (n, c, hp, wp), (f, c, kh, kw), (n, f, oh, ow))
    weight = (kh, kw, c, f) if layout == "hwcf" else (f, kh, kw, c)
    return ((n, h, w, c), (n, hp, wp, c), weight, (n, oh, ow, f))


def weight_fchw(name):
    """The weight as F x C x KH x KW."""
    _, _, c, _, _, f, kh, kw, _, _ = CASES[name]
    r = np.random.default_rng(5 + c + f + kh)
    w = r.integers(-8, 9, (f, c, kh, kw)).astype(np.float32)
    w[r.random(w.shape) < 0.9] = 0
    w[1] = 0  # an empty filter
    return w


def weight(name):
    w = weight_fchw(name)
    layout = CASES[name][0]
    if layout == "hwcf":
        return w.transpose(2, 3, 1, 0)
    if layout == "fhwc":
        return w.transpose(0, 2, 3, 1)
    return w


def dense(a):
    return "dense<%s>" % json.dumps(a.astype(int).tolist()).replace(
        ",", ".0,").replace("]", ".0]").replace("].0", "]")


def tensor(shape):
    return "tensor<%sxf32>" % "x".join(map(str, shape))


def make(d):
    funcs = []
    for name, case in CASES.items():
        layout, p, acc = case[0], case[8], case[9]
        x_shape, padded, w_shape, y_shape = shapes(name)
        low = [0, 0, p, p] if layout == "nchw" else [0, p, p, 0]
        op = {"nchw": "conv_2d_nchw_fchw", "hwcf": "conv_2d_nhwc_hwcf",
              "fhwc": "conv_2d_nhwc_fhwc"}[layout]
        extra = ", %%c: %s" % tensor(y_shape) if acc else ""
        funcs.append("""func.func @%(name)s(%%x: %(xt)s%(extra)s) -> %(yt)s {
  %%w = arith.constant %(w)s : %(wt)s
  %%z = arith.constant 0.0 : f32
  %%p = tensor.pad %%x low%(low)s high%(low)s {
  ^bb0(%%i0: index, %%i1: index, %%i2: index, %%i3: index):
    tensor.yield %%z : f32
  } : %(xt)s to %(pt)s
  %%e = tensor.empty() : %(yt)s
  %%f = linalg.fill ins(%%z : f32) outs(%%e : %(yt)s) -> %(yt)s
  %%y = linalg.%(op)s {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%%p, %%w : %(pt)s, %(wt)s) outs(%(init)s : %(yt)s) -> %(yt)s
  return %%y : %(yt)s
}
""" % dict(name=name, xt=tensor(x_shape), yt=tensor(y_shape),
           pt=tensor(padded), wt=tensor(w_shape), w=dense(weight(name)),
           low=low, op=op, extra=extra, init="%c" if acc else "%f"))
        r = np.random.default_rng(3)
        np.save(os.path.join(d, "x_%s.npy" % name),
                r.integers(-4, 5, x_shape).astype(np.float32))
        if acc:
            np.save(os.path.join(d, "c_%s.npy" % name),
                    r.integers(-4, 5, y_shape).astype(np.float32))
    with open(os.path.join(d, "model.mlir"), "w") as f:
        f.write("\n".join(funcs))


def reference(name, x):
    """The convolution by explicit sums over the kernel window (NCHW)."""
    layout, _, _, _, _, _, kh, kw, p, _ = CASES[name]
    if layout != "nchw":
        x = x.transpose(0, 3, 1, 2)
    x = np.pad(x, ((0, 0), (0, 0), (p, p), (p, p)))
    w = weight_fchw(name).astype(np.float64)
    oh, ow = x.shape[2] - kh + 1, x.shape[3] - kw + 1
    y = np.zeros((x.shape[0], w.shape[0], oh, ow))
    for i in range(kh):
        for j in range(kw):
            y += np.einsum("nchw,fc->nfhw", x[:, :, i:i + oh, j:j + ow],
                           w[:, :, i, j])
    return y if layout == "nchw" else y.transpose(0, 2, 3, 1)


def check(d):
    for name, case in CASES.items():
        x = np.load(os.path.join(d, "x_%s.npy" % name)).astype(np.float64)
        want = reference(name, x)
        if case[9]:
            want += np.load(os.path.join(d, "c_%s.npy" % name))
        got = np.load(os.path.join(d, "y_%s.npy" % name))
        ok = got.shape == want.shape and np.array_equal(got, want)
        print(name + (" exact" if ok else " BAD"))


if __name__ == "__main__":
    {"make": make, "check": check}[sys.argv[1]](sys.argv[2])
