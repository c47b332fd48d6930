#!/usr/bin/python3
"""Writes valid, malformed and unsupported .npy files for the compress-run tests.

Usage: make_npy_cases.py OUTDIR

Every file is derived from a valid float32 [2, 3] array (also written, as
good.npy) so that the only defect is the one named by the file. The files
named limit-*.npy have valid headers whose shapes test the runtime's array
limits (rank at most 64, at most 2^32 elements counting zero dimensions as
1); they carry exactly the data their shape needs.
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

    # Shapes at and beyond the array limits, written header by header (numpy
    # would try to allocate these arrays).
    def header_only(name, shape, descr="<f4", data=b""):
        dims = ", ".join(str(d) for d in shape) + ("," if len(shape) == 1 else "")
        header = "{'descr': '%s', 'fortran_order': False, 'shape': (%s), }" % (
            descr, dims)
        header += " " * ((64 - (10 + len(header) + 1) % 64) % 64) + "\n"
        write(name, b"\x93NUMPY\x01\x00" + len(header).to_bytes(2, "little")
              + header.encode() + data)

    header_only("limit-0x2p62.npy", (0, 2**62))
    header_only("limit-0x2p40.npy", (0, 2**40))
    header_only("limit-2p62x0.npy", (2**62, 0))
    header_only("limit-0x2p31x2p31.npy", (0, 2**31, 2**31))
    header_only("limit-0x2p32.npy", (0, 2**32))
    # 2^33 elements claimed, no data: refused for its size, not as truncated.
    header_only("limit-2p33.npy", (2**33,))
    header_only("limit-rank65.npy", (1,) * 65, data=b"\0" * 4)
    header_only("limit-rank64.npy", (1,) * 64, data=b"\0" * 4)


if __name__ == "__main__":
    main()
