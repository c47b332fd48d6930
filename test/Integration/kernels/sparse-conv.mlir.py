#!/usr/bin/python3
"""Models, inputs and checks of sparse-conv.mlir.

  sparse-conv.mlir.py make DIR     writes DIR/model.mlir:
      convolutions (tensor.pad then linalg.conv_2d_*) with constant weights
      of small integers (or int8 codes with power-of-two scales), 90% zeros
      (seed 5) and one empty filter, and their inputs (small integers:
      every sum is exact in f32)
  sparse-conv.mlir.py check DIR    compares each output with a numpy
      convolution and prints "<func> exact"
"""
import json
import os
import sys

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
import checks  # noqa: E402

# name: (layout, N, C, H, W, F, KH, KW, padding, accumulate into an input,
#        stride)
CASES = {
    "k3": ("nchw", 1, 8, 10, 12, 16, 3, 3, 1, False, 1),
    "k1": ("nchw", 1, 16, 7, 7, 24, 1, 1, 0, False, 1),
    "k53": ("nchw", 2, 6, 9, 11, 10, 5, 3, 0, True, 1),
    "blocked": ("nchw", 1, 64, 14, 14, 70, 3, 3, 1, False, 1),
    "wide": ("nchw", 1, 3642, 1, 1, 4, 3, 3, 1, False, 1),
    "hwcf": ("hwcf", 1, 8, 9, 9, 12, 3, 3, 1, False, 1),
    "fhwc": ("fhwc", 2, 8, 9, 9, 12, 3, 3, 1, True, 1),
    "s2": ("nchw", 1, 8, 11, 13, 12, 3, 3, 1, False, 2),
    "stem": ("nchw", 1, 3, 20, 20, 16, 7, 7, 3, True, 2),
    "s2hwcf": ("hwcf", 2, 16, 8, 8, 24, 1, 1, 0, False, 2),
    # Depthwise (F = C): filter c reads channel c only.
    "dw": ("dwchw", 1, 16, 10, 12, 16, 3, 3, 1, True, 1),
    "dws2": ("dwhwc", 2, 24, 9, 9, 24, 3, 3, 1, False, 2),
    # A stride-1 convolution whose input is larger than its output needs.
    "crop": ("nchw", 1, 8, 10, 11, 16, 3, 3, 0, False, 1),
    # Weight-only int8 (INT8): codes and scales.
    "q3": ("nchw", 1, 8, 10, 12, 16, 3, 3, 1, False, 1),
    "qhwcf": ("hwcf", 1, 8, 9, 9, 12, 3, 3, 1, True, 2),
    "qdw": ("dwchw", 1, 16, 10, 12, 16, 3, 3, 1, False, 1),
    # Dilated (DILATION): the taps move.
    "dil": ("nchw", 1, 8, 12, 13, 16, 3, 3, 2, False, 1),
    "dildw": ("dwchw", 2, 16, 9, 9, 16, 3, 3, 2, True, 1),
}
# Dilations (DH, DW) other than 1.
DILATION = {"dil": (2, 3), "dildw": (2, 2)}
# The int8 cases' scales: one per filter or one for the tensor, powers of
# two (products stay exact).
INT8 = {"q3": [2.0 ** -(f % 3) for f in range(16)], "qhwcf": [0.25],
        "qdw": [2.0 ** -(f % 2) for f in range(16)]}
# The filter axis of each weight layout (the per-channel scales' axis).
FILTER_AXIS = {"nchw": 0, "hwcf": 3, "fhwc": 0, "dwchw": 0, "dwhwc": 2}
# Output sizes smaller than the input allows.
OUTPUT = {"crop": (7, 6)}


def shapes(name):
    layout, n, c, h, w, f, kh, kw, p, _, st = CASES[name]
    dh, dw = DILATION.get(name, (1, 1))
    hp, wp = h + 2 * p, w + 2 * p
    oh, ow = OUTPUT.get(name, ((hp - dh * (kh - 1) - 1) // st + 1,
                               (wp - dw * (kw - 1) - 1) // st + 1))
    if layout == "nchw":
        return ((n, c, h, w), (n, c, hp, wp), (f, c, kh, kw), (n, f, oh, ow))
    if layout == "dwchw":
        return ((n, c, h, w), (n, c, hp, wp), (c, kh, kw), (n, c, oh, ow))
    weight = {"hwcf": (kh, kw, c, f), "fhwc": (f, kh, kw, c),
              "dwhwc": (kh, kw, c)}[layout]
    return ((n, h, w, c), (n, hp, wp, c), weight, (n, oh, ow, f))


def weight_fchw(name):
    """The weight as F x C x KH x KW (depthwise: C x 1 x KH x KW)."""
    layout, _, c, _, _, f, kh, kw, _, _, _ = CASES[name]
    r = np.random.default_rng(5 + c + f + kh)
    shape = (c, 1, kh, kw) if layout.startswith("dw") else (f, c, kh, kw)
    w = r.integers(-8, 9, shape).astype(np.float32)
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
    if layout == "dwchw":
        return w[:, 0]
    if layout == "dwhwc":
        return w[:, 0].transpose(1, 2, 0)
    return w


def dense(a):
    return "dense<%s>" % json.dumps(a.astype(int).tolist()).replace(
        ",", ".0,").replace("]", ".0]").replace("].0", "]")


def tensor(shape):
    return "tensor<%sxf32>" % "x".join(map(str, shape))


def make(d):
    funcs = []
    for name, case in CASES.items():
        layout, p, acc, stride = case[0], case[8], case[9], case[10]
        x_shape, padded, w_shape, y_shape = shapes(name)
        low = [0, 0, p, p] if layout in ("nchw", "dwchw") else [0, p, p, 0]
        op = {"nchw": "conv_2d_nchw_fchw", "hwcf": "conv_2d_nhwc_hwcf",
              "fhwc": "conv_2d_nhwc_fhwc", "dwchw": "depthwise_conv_2d_nchw_chw",
              "dwhwc": "depthwise_conv_2d_nhwc_hwc"}[layout]
        extra = ", %%c: %s" % tensor(y_shape) if acc else ""
        weight_text = "%%w = arith.constant %s : %s" % (dense(weight(name)),
                                                         tensor(w_shape))
        if name in INT8:
            scales = INT8[name]
            axis = ", axis = %d" % FILTER_AXIS[layout] if len(scales) > 1 \
                else ""
            codes = tensor(w_shape).replace("f32", "i8")
            weight_text = (
                "%%codes = arith.constant dense<%s> : %s\n"
                "  %%w = compress.dequantize %%codes : %s -> %s, "
                "#compress.quant<i8, scales = %s, zero_points = %s%s>" % (
                    json.dumps(weight(name).astype(int).tolist()), codes,
                    codes, tensor(w_shape), json.dumps(scales),
                    json.dumps([0] * len(scales)), axis))
        funcs.append("""func.func @%(name)s(%%x: %(xt)s%(extra)s) -> %(yt)s {
  %(weight)s
  %%z = arith.constant 0.0 : f32
  %%p = tensor.pad %%x low%(low)s high%(low)s {
  ^bb0(%%i0: index, %%i1: index, %%i2: index, %%i3: index):
    tensor.yield %%z : f32
  } : %(xt)s to %(pt)s
  %%e = tensor.empty() : %(yt)s
  %%f = linalg.fill ins(%%z : f32) outs(%%e : %(yt)s) -> %(yt)s
  %%y = linalg.%(op)s {dilations = dense<%(dilations)s> : tensor<2xi64>, strides = dense<%(stride)d> : tensor<2xi64>} ins(%%p, %%w : %(pt)s, %(wt)s) outs(%(init)s : %(yt)s) -> %(yt)s
  return %%y : %(yt)s
}
""" % dict(name=name, xt=tensor(x_shape), yt=tensor(y_shape),
           pt=tensor(padded), wt=tensor(w_shape), weight=weight_text,
           low=low, op=op, extra=extra, init="%c" if acc else "%f",
           dilations=list(DILATION.get(name, (1, 1))),
           stride=stride))
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
    layout, _, _, _, _, _, kh, kw, p, _, st = CASES[name]
    nchw = layout in ("nchw", "dwchw")
    if not nchw:
        x = x.transpose(0, 3, 1, 2)
    x = np.pad(x, ((0, 0), (0, 0), (p, p), (p, p)))
    w = weight_fchw(name).astype(np.float64)
    if name in INT8:
        w *= np.array(INT8[name]).reshape(-1, 1, 1, 1)
    dh, dw = DILATION.get(name, (1, 1))
    oh, ow = OUTPUT.get(name, ((x.shape[2] - dh * (kh - 1) - 1) // st + 1,
                               (x.shape[3] - dw * (kw - 1) - 1) // st + 1))
    y = np.zeros((x.shape[0], w.shape[0], oh, ow))
    for i in range(kh):
        for j in range(kw):
            window = x[:, :, dh * i:dh * i + st * (oh - 1) + 1:st,
                       dw * j:dw * j + st * (ow - 1) + 1:st]
            if layout.startswith("dw"):
                y += window * w[None, :, 0, i, j, None, None]
            else:
                y += np.einsum("nchw,fc->nfhw", window, w[:, :, i, j])
    return y if nchw else y.transpose(0, 2, 3, 1)


def check(d):
    for name, case in CASES.items():
        x = np.load(os.path.join(d, "x_%s.npy" % name)).astype(np.float64)
        want = reference(name, x)
        if case[9]:
            want += np.load(os.path.join(d, "c_%s.npy" % name))
        got = np.load(os.path.join(d, "y_%s.npy" % name))
        checks.print_exact(name, got, want)


if __name__ == "__main__":
    {"make": make, "check": check}[sys.argv[1]](sys.argv[2])
