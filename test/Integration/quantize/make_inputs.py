#!/usr/bin/python3
"""Writes float32 .npy inputs for the quantization tests.

Usage: make_inputs.py OUTDIR SPEC...

Each SPEC writes OUTDIR/NAME.npy:

    NAME=SHAPE:normal:SIGMA        normal(0, SIGMA) values
    NAME=SHAPE:grid:LO:HI:STEP     multiples of STEP in [LO, HI], with LO and
                                   HI themselves present (so the tensor's
                                   range is exactly [LO, HI])

SHAPE is like 5x24 (0 sizes allowed).  LO, HI and STEP must be exact binary
fractions, e.g. -2:3.96875:0.015625, so that every value is an exact float32
and the quantization scales of the tests are exact too.  Values depend only
on the SPEC, so adding a spec does not change the others.
"""

import os
import sys
import zlib

import numpy as np


def make(spec):
    name, _, rest = spec.partition("=")
    fields = rest.split(":")
    shape = [int(d) for d in fields[0].split("x")]
    count = int(np.prod(shape))
    rng = np.random.default_rng(zlib.crc32(spec.encode()))
    if fields[1] == "normal" and len(fields) == 3:
        values = rng.normal(0.0, float(fields[2]), count)
    elif fields[1] == "grid" and len(fields) == 5:
        lo, hi, step = (float(f) for f in fields[2:])
        steps = (hi - lo) / step
        if steps != int(steps) or count < 2:
            sys.exit(f"make_inputs.py: bad grid in {spec}")
        values = lo + step * rng.integers(0, int(steps) + 1, count)
        values[:2] = lo, hi
        values = rng.permutation(values)
    else:
        sys.exit(f"make_inputs.py: cannot read {spec}")
    array = values.astype(np.float32)
    if fields[1] == "grid" and not np.array_equal(array, values):
        sys.exit(f"make_inputs.py: {spec} is not exact in float32")
    return name, array.reshape(shape)


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    for spec in sys.argv[2:]:
        name, array = make(spec)
        np.save(os.path.join(out, name + ".npy"), array)


if __name__ == "__main__":
    main()
