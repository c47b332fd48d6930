#!/usr/bin/python3
"""Writes valid, malformed and unsupported .npy files for the compress-run tests.

Usage: make_npy_cases.py OUTDIR

Every file is derived from a valid float32 [2, 3] array (also written, as
good.npy) so that the only defect is the one named by the file.
"""

import io
import os
import sys

import numpy as np
import numpy.lib.format as fmt


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)

    def path(name):
        return os.path.join(out, name)

    def write(name, data):
        with open(path(name), "wb") as f:
            f.write(data)

    good_array = np.arange(6, dtype=np.float32).reshape(2, 3)
    buf = io.BytesIO()
    np.save(buf, good_array)
    good = buf.getvalue()
    write("good.npy", good)

    # Magic string and framing.
    write("bad-magic.npy", b"\x93NUMPX" + good[6:])
    write("empty.npy", b"")
    write("text.npy", b"this is not a numpy file at all\n")
    # Magic and version present, header length field cut off.
    write("short-prefix.npy", good[:9])
    # Header length says more than the file holds.
    write("truncated-header.npy", good[:40])
    write("truncated-data.npy", good[:-4])
    write("trailing-data.npy", good + b"\0\0\0\0")
    # Header that is not a dict.
    header_len = good[8] | (good[9] << 8)
    not_dict = b"[" + good[11:10 + header_len - 2] + b"]\n"
    write("not-dict.npy", good[:10] + not_dict + good[10 + header_len:])

    # Versions: 2.0 and 3.0 are valid, 4.0 is not.
    for major in (2, 3):
        with open(path(f"version{major}.npy"), "wb") as f:
            fmt.write_array(f, good_array, version=(major, 0))
    v4 = bytearray(good)
    v4[6] = 4
    write("version4.npy", bytes(v4))

    # Layouts and dtypes compress-run does not read.
    np.save(path("fortran.npy"), np.asfortranarray(good_array))
    np.save(path("big-endian.npy"), good_array.astype(">f4"))
    np.save(path("structured.npy"),
            np.zeros((2, 3), dtype=[("a", "<f4"), ("b", "<i4")]))
    np.save(path("object.npy"), np.array([[1, 2, 3], [4, 5, 6]], dtype=object),
            allow_pickle=True)
    np.save(path("unicode.npy"), np.array([["a", "b", "c"]] * 2))
    np.save(path("complex.npy"), good_array.astype(np.complex64))
    np.save(path("float128.npy"), good_array.astype(np.longdouble))


if __name__ == "__main__":
    main()
