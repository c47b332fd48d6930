#!/usr/bin/python3
"""Inputs (make DIR) and checks (check DIR) of full-reduction.mlir."""
import os
import sys

import numpy as np


def make(d):
    rng = np.random.default_rng(7)
    x = rng.standard_normal((37, 29)).astype(np.float32)
    x[3, 4] = np.nan
    x[36, 28] = 9.5  # the maximum is the last, scalar-loop element
    x[0, 0] = -7.25  # the minimum is in the first vector
    np.save(os.path.join(d, "x.npy"), x)
    np.save(os.path.join(d, "q.npy"),
            rng.integers(-128, 128, (23, 13)).astype(np.int8))
    np.save(os.path.join(d, "init.npy"), np.array(1000, np.int32))
    xb = rng.standard_normal((301, 257)).astype(np.float32)
    xb[150, 3] = np.nan
    xb[300, 256] = 9.5  # the maximum is the last, scalar-loop element
    xb[170, 100] = -7.25  # the minimum is inside the 10th range
    np.save(os.path.join(d, "xb.npy"), xb)
    np.save(os.path.join(d, "qb.npy"),
            rng.integers(-128, 128, (301, 257)).astype(np.int8))


def check(d):
    def load(name):
        return np.load(os.path.join(d, name + ".npy"))

    # The small functions (x.npy, lo.npy, ...) and the big ones (xb.npy, ...).
    for suffix, label in (("", ""), ("b", "_big")):
        x = load("x" + suffix)
        lo, hi = load("lo" + suffix), load("hi" + suffix)
        ok = lo == np.nanmin(x) and hi == np.nanmax(x)
        print("range%s " % label +
              ("exact" if ok else "BAD %r %r" % (lo, hi)))
        q = load("q" + suffix).astype(np.int64)
        total, expected = load("sum" + suffix), q.sum() + 1000
        print("sum%s " % label + ("exact" if total == expected else
                                  "BAD %r, expected %r" % (total, expected)))


if __name__ == "__main__":
    {"make": make, "check": check}[sys.argv[1]](sys.argv[2])
