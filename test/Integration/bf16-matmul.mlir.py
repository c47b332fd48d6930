#!/usr/bin/python3
"""Reference for bf16-matmul.mlir: x @ w with the test's weight (seed 11)."""
import sys

import numpy as np

r = np.random.default_rng(11)
w = r.integers(-8, 8, (71, 45)).astype(np.float32) / 4
x = np.load(sys.argv[1])
y = np.load(sys.argv[2])
ref = x.astype(np.float64) @ w.astype(np.float64)
print("bf16 matmul " + ("exact" if np.array_equal(y, ref) else
                        "BAD %g" % np.abs(y - ref).max()))
