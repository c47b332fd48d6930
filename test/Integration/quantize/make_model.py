#!/usr/bin/python3
"""Writes a matmul or convolution model with a random constant weight, for
tests whose weight is too large to read in the test file.

Usage: make_model.py OUT.mlir FUNC K N SIGMA
       make_model.py OUT.mlir FUNC conv LAYOUT C F KSIZE STRIDE H SIGMA

OUT.mlir holds

    func.func @FUNC(%x: tensor<?xKxf32>, %init: tensor<?xNxf32>)
        -> tensor<?xNxf32>

computing init + x @ W with W a K x N arith.constant of normal(0, SIGMA)
float32 values, each printed as the shortest decimal that reads back as the
same float32; or, with `conv`, init + linalg.conv_2d_LAYOUT (nchw_fchw or
nhwc_hwcf) of an H x H image with C channels and F filters of KSIZE x
KSIZE with stride STRIDE (x: ?xCxHxH or ?xHxHxC), or with LAYOUT
depthwise_nhwc_hwc (F = C) linalg.depthwise_conv_2d_nhwc_hwc.  The values depend only on
the arguments.
"""

import sys
import zlib

import numpy as np


def dense(w):
    """A dense<...> literal of the float32 array w (nested lists)."""
    if w.ndim == 1:
        return "[" + ", ".join(np.format_float_positional(v, unique=True)
                               for v in w) + "]"
    return "[" + ",\n    ".join(dense(row) for row in w) + "]"


def conv(out, func, layout, c, f, k, stride, h, sigma):
    seed = zlib.crc32(" ".join(sys.argv[2:]).encode())
    o = (h - k) // stride + 1
    if layout == "nchw_fchw":
        shapes = ((c, h, h), (f, c, k, k), (f, o, o))
    elif layout == "nhwc_hwcf":
        shapes = ((h, h, c), (k, k, c, f), (o, o, f))
    elif layout == "depthwise_nhwc_hwc" and f == c:
        shapes = ((h, h, c), (k, k, c), (o, o, c))
    else:
        sys.exit(f"unknown layout {layout}")
    w = np.random.default_rng(seed).normal(0.0, sigma, shapes[1])
    w = w.astype(np.float32)
    x_type, w_type, y_type = (
        "tensor<?x" + "x".join(map(str, shapes[0])) + "xf32>",
        "tensor<" + "x".join(map(str, shapes[1])) + "xf32>",
        "tensor<?x" + "x".join(map(str, shapes[2])) + "xf32>")
    with open(out, "w") as fh:
        fh.write(f"func.func @{func}(%x: {x_type}, %init: {y_type}) -> "
                 f"{y_type} {{\n")
        fh.write(f"  %w = arith.constant dense<{dense(w)}> : {w_type}\n")
        op = ("depthwise_conv_2d_nhwc_hwc" if layout.startswith("depthwise")
              else "conv_2d_" + layout)
        fh.write(f"  %y = linalg.{op} {{strides = dense<{stride}> "
                 f": tensor<2xi64>, dilations = dense<1> : tensor<2xi64>}}\n"
                 f"      ins(%x, %w : {x_type}, {w_type})\n")
        fh.write(f"      outs(%init : {y_type}) -> {y_type}\n")
        fh.write(f"  return %y : {y_type}\n")
        fh.write("}\n")


def main():
    if len(sys.argv) == 11 and sys.argv[3] == "conv":
        a = sys.argv
        conv(a[1], a[2], a[4], int(a[5]), int(a[6]), int(a[7]), int(a[8]),
             int(a[9]), float(a[10]))
        return
    if len(sys.argv) != 6:
        sys.exit(__doc__)
    out, func = sys.argv[1], sys.argv[2]
    k, n, sigma = int(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5])
    seed = zlib.crc32(" ".join(sys.argv[2:]).encode())
    w = np.random.default_rng(seed).normal(0.0, sigma, (k, n))
    w = w.astype(np.float32)
    rows = []
    for row in w:
        rows.append("[" + ", ".join(
            np.format_float_positional(v, unique=True) for v in row) + "]")
    x_type, w_type, y_type = (f"tensor<?x{k}xf32>", f"tensor<{k}x{n}xf32>",
                              f"tensor<?x{n}xf32>")
    with open(out, "w") as f:
        f.write(f"func.func @{func}(%x: {x_type}, %init: {y_type}) -> "
                f"{y_type} {{\n")
        f.write("  %w = arith.constant dense<[" +
                ",\n    ".join(rows) + f"]> : {w_type}\n")
        f.write(f"  %y = linalg.matmul ins(%x, %w : {x_type}, {w_type})\n")
        f.write(f"                     outs(%init : {y_type}) -> {y_type}\n")
        f.write(f"  return %y : {y_type}\n")
        f.write("}\n")


if __name__ == "__main__":
    main()
