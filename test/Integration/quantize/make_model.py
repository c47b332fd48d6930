#!/usr/bin/python3
"""Writes a matmul model with a random constant weight, for tests whose weight
is too large to read in the test file.

Usage: make_model.py OUT.mlir FUNC K N SIGMA

OUT.mlir holds

    func.func @FUNC(%x: tensor<?xKxf32>, %init: tensor<?xNxf32>)
        -> tensor<?xNxf32>

computing init + x @ W with W a K x N arith.constant of normal(0, SIGMA)
float32 values, each printed as the shortest decimal that reads back as the
same float32.  The values depend only on the arguments.
"""

import sys
import zlib

import numpy as np


def main():
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
