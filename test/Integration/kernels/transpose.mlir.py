#!/usr/bin/python3
"""Inputs (make DIR) and checks (check DIR) of transpose.mlir."""
import os
import sys

import numpy as np

INPUTS = {"a": ((1, 32, 58, 58), np.float32),
          "b": ((1, 7, 40, 24), np.float32), "c": ((64, 4), np.float32),
          "d": ((64, 5), np.float32), "e": ((2, 16, 13, 48), np.int8),
          "f": ((40, 48), np.float32), "g": ((48, 40), np.float32),
          "h": ((24, 20), np.float32), "i": ((20, 48), np.float32),
          "j": ((48, 24), np.float32), "k": ((32, 6, 8), np.float32),
          "l": ((32, 8, 6), np.float32)}


def make(d):
    rng = np.random.default_rng(11)
    for name, (shape, dtype) in INPUTS.items():
        if dtype == np.int8:
            x = rng.integers(-128, 128, shape).astype(np.int8)
        elif name in "hij":
            # Small integers: the matmul's sums are exact in f32.
            x = rng.integers(-8, 9, shape).astype(np.float32)
        else:
            # Distinct values: a misplaced element cannot go unnoticed.
            x = rng.permutation(np.prod(shape)).reshape(shape).astype(
                np.float32) - 1000.5
        np.save(os.path.join(d, name + ".npy"), x)


def check(d):
    def load(name):
        return np.load(os.path.join(d, name + ".npy"))

    expected = {
        "to_nhwc": load("a").transpose(0, 2, 3, 1),
        "to_nchw": load("b").transpose(0, 3, 1, 2),
        "rows4": load("c").T,
        "rows5": load("d").T,
        "i8_to_nhwc": load("e").transpose(0, 2, 3, 1),
        "add_transposed": load("f") + load("g").T,
        "matmul_plus_transposed": load("h") @ load("i") + load("j").T,
        "two_layouts": load("k").transpose(1, 2, 0) +
        load("l").transpose(2, 1, 0),
    }
    for name, want in expected.items():
        got = load(name)
        ok = got.dtype == want.dtype and np.array_equal(got, want)
        print(name + (" exact" if ok else " BAD: %d of %d differ" % (
            np.sum(got != want) if got.shape == want.shape else -1,
            want.size)))


if __name__ == "__main__":
    {"make": make, "check": check}[sys.argv[1]](sys.argv[2])
