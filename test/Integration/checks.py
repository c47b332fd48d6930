"""Helpers shared by the integration tests' scripts (*.mlir.py): reading
the constants of a printed module and reporting exact results.

A script imports it with its own directory's parent on sys.path:

    sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
    import checks
"""
import json
import re

import numpy as np


def parse_constants(path, function=None):
    """The dense f32 constants of a printed module (or of its function
    `function` only), by shape."""
    text = open(path).read()
    if function is not None:
        start = text.index("func.func @%s(" % function)
        end = text.find("func.func @", start + 1)
        text = text[start:end if end >= 0 else len(text)]
    found = {}
    for value, shape in re.findall(
            r"arith.constant dense<(\[.*?\]|\"0x[0-9A-F]+\")> : "
            r"tensor<([0-9x]+)xf32>", text):
        dims = tuple(int(s) for s in shape.split("x"))
        if value.startswith('"'):  # large constants print as raw bytes
            data = np.frombuffer(bytes.fromhex(value[3:-1]), "<f4")
        else:
            data = np.array(json.loads(value), np.float64)
        found[dims] = data.astype(np.float64).reshape(dims)
    return found


def print_exact(name, got, want):
    """Prints "<name> exact" if `got` has `want`'s shape and values, else
    "<name> BAD"."""
    ok = got.shape == want.shape and np.array_equal(got, want)
    print(name + (" exact" if ok else " BAD"))
