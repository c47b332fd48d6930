#!/usr/bin/python3
"""Compares compress's ResNet-18 outputs with the numpy reference.

Usage: check.py REFERENCE.npy FP32.npy [INT8.npy]

Prints 'fp32 ok' when the compiled fp32 model matches the reference to
float tolerance (relative 1e-4 of the largest logit), and 'int8 ok cosine
C' when the int8 model's logits have cosine similarity >= 0.99 with the
reference and the same top class; exits 1 otherwise.
"""
import sys

import numpy as np


def main():
    if len(sys.argv) not in (3, 4):
        sys.exit(__doc__)
    ref = np.load(sys.argv[1]).astype(np.float64).ravel()
    ok = True
    fp32 = np.load(sys.argv[2]).astype(np.float64).ravel()
    err = np.abs(fp32 - ref).max() / np.abs(ref).max()
    print("fp32 %s relative error %.2e" % ("ok" if err < 1e-4 else "BAD", err))
    ok &= bool(err < 1e-4)
    if len(sys.argv) == 4:
        q = np.load(sys.argv[3]).astype(np.float64).ravel()
        cos = q @ ref / np.linalg.norm(q) / np.linalg.norm(ref)
        good = cos >= 0.99 and q.argmax() == ref.argmax()
        print("int8 %s cosine %.4f top-1 %s" % (
            "ok" if good else "BAD", cos,
            "same" if q.argmax() == ref.argmax() else "different"))
        ok &= bool(good)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
