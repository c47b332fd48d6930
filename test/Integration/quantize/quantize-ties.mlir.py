#!/usr/bin/python3
"""Inputs and checker for quantize-ties.mlir.

make X.npy SCALE: the near-ties (k + 1/2) * s for k in [-300, 300) moved by
-3..3 ulps, +-inf, NaN, +-FLT_MAX and random values (4266 floats).
check X.npy Y.npy SCALE ZP QMIN QMAX: compares the codes with
clip(rint(x / s) + zp, qmin, qmax) (NaN to zp) computed in f32, and reports
how many codes a plain x * RN(1/s) would have got wrong.
"""
import sys

import numpy as np


def make(path, scale):
    s = np.float32(scale)
    base = ((np.arange(-300, 300) + 0.5) * np.float64(s)).astype(np.float32)
    parts = [base]
    up, down = base, base
    for _ in range(3):
        up = np.nextafter(up, np.float32(np.inf))
        down = np.nextafter(down, np.float32(-np.inf))
        parts += [up, down]
    big = np.finfo(np.float32).max
    parts.append(np.array([np.inf, -np.inf, np.nan, big, -big, 0.0, -0.0, 1e-30],
                          np.float32))
    rng = np.random.default_rng(3)
    parts.append((rng.standard_normal(58) * 8).astype(np.float32))
    x = np.concatenate(parts)
    assert x.size == 4266, x.size
    np.save(path, x)


def codes(q, zp, qmin, qmax, x):
    q = np.clip(q + np.float32(zp), qmin, qmax)
    return np.where(np.isnan(x), np.float32(zp), q)


def check(xpath, ypath, scale, zp, qmin, qmax):
    x = np.load(xpath)
    y = np.load(ypath).astype(np.int64)
    if qmin >= 0:
        y &= 0xFF  # unsigned codes are stored in i8
    s = np.float32(scale)
    with np.errstate(invalid="ignore", over="ignore"):
        ref = codes(np.rint(x / s), zp, qmin, qmax, x).astype(np.int64)
        naive = codes(np.rint(x * (np.float32(1) / s)), zp, qmin, qmax,
                      x).astype(np.int64)
    wrong = np.count_nonzero(naive != ref)
    if wrong == 0:
        print("the inputs have no hard cases")
    elif np.array_equal(y, ref):
        print("codes exact (x * 1/s alone: %d wrong)" % wrong)
    else:
        bad = np.flatnonzero(y != ref)
        print("BAD %d codes, e.g. x=%r: %d, expected %d" % (
            bad.size, float(x[bad[0]]), y[bad[0]], ref[bad[0]]))


if __name__ == "__main__":
    if sys.argv[1] == "make":
        make(sys.argv[2], float(sys.argv[3]))
    else:
        check(sys.argv[2], sys.argv[3], float(sys.argv[4]), int(sys.argv[5]),
              int(sys.argv[6]), int(sys.argv[7]))
