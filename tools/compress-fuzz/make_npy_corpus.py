#!/usr/bin/python3
"""Writes the seed corpus of compress-fuzz-npy: small .npy files of every
dtype compress-run reads, every format version, and the kinds it rejects.

Usage: make_npy_corpus.py OUTDIR
"""

import io
import os
import sys

import numpy as np
import numpy.lib.format as fmt


def save(path, array, version=None, fortran=False):
    buf = io.BytesIO()
    if fortran:
        array = np.asfortranarray(array)
    fmt.write_array(buf, array, version=version, allow_pickle=False)
    with open(path, "wb") as f:
        f.write(buf.getvalue())


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    dtypes = ["<f2", "<f4", "<f8", "|i1", "<i2", "<i4", "<i8", "|u1", "<u2",
              "<u4", "<u8", "|b1"]
    shapes = [(), (0,), (3,), (2, 3), (1, 2, 0, 2)]
    for dtype in dtypes:
        for shape in shapes:
            array = (np.arange(int(np.prod(shape))) % 3).astype(dtype)
            name = "%s-%s.npy" % (dtype[1:], "x".join(map(str, shape)) or "0d")
            save(os.path.join(out, name), array.reshape(shape))
    matrix = np.arange(6, dtype="<f4").reshape(2, 3)
    for version in [(1, 0), (2, 0), (3, 0)]:
        save(os.path.join(out, "v%d.npy" % version[0]), matrix, version)
    # Rejected by the reader: Fortran order, big-endian, structured.
    save(os.path.join(out, "fortran.npy"), matrix, fortran=True)
    save(os.path.join(out, "big-endian.npy"), matrix.astype(">f4"))
    save(os.path.join(out, "structured.npy"),
         np.zeros(2, dtype=[("a", "<f4"), ("b", "<i4")]))


if __name__ == "__main__":
    main()
