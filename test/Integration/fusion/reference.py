#!/usr/bin/python3
"""numpy references for the fusion integration tests.

Usage: reference.py CASE INPUTS... OUTPUTS...
Prints '<name> ok' for every output that matches the reference within float
tolerance, '<name> BAD <max error>' otherwise.
"""
import sys

import numpy as np


def conv_nchw(x, w):
    n, c, h, wd = x.shape
    f, _, kh, kw = w.shape
    oh, ow = h - kh + 1, wd - kw + 1
    y = np.zeros((n, f, oh, ow))
    for i in range(kh):
        for j in range(kw):
            y += np.einsum("nchw,fc->nfhw", x[:, :, i:i + oh, j:j + ow], w[:, :, i, j])
    return y


def conv_bn_relu(x, res):
    w = np.full((8, 4, 3, 3), 0.25)
    mean = np.array([0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8])
    var = np.array([1.0, 2.0, 0.5, 0.25, 4.0, 1.5, 1.0, 3.0])
    gamma = np.array([1.0, -1.0, 2.0, 0.5, 1.0, 1.0, 3.0, 1.0])
    beta = np.array([0.0, 0.5, -0.5, 1.0, 0.0, 2.0, 0.0, -1.0])
    ch = lambda v: v.reshape(1, -1, 1, 1)
    y = conv_nchw(x, w)
    bn = (y - ch(mean)) / np.sqrt(ch(var) + 1e-5) * ch(gamma) + ch(beta)
    return np.maximum(bn + res, 0.0)


def mlp_epilogues(x):
    w = (np.arange(40 * 70).reshape(40, 70) % 7 - 3) / 8.0
    b = (np.arange(70) % 5 - 2) / 4.0
    y = x @ w + b
    gelu = 0.5 * y * (1 + np.tanh(0.7978845608028654 * (y + 0.044715 * y ** 3)))
    return (np.clip(y, 0.0, 6.0), 1 / (1 + np.exp(-y)), np.tanh(y), gelu)


CASES = {"conv_bn_relu": (conv_bn_relu, 2), "mlp_epilogues": (mlp_epilogues, 1)}


def main():
    fn, n_in = CASES[sys.argv[1]]
    inputs = [np.load(p).astype(np.float64) for p in sys.argv[2:2 + n_in]]
    expected = fn(*inputs)
    outputs = sys.argv[2 + n_in:]
    if not isinstance(expected, tuple):
        expected = (expected,) * len(outputs)
    for path, ref in zip(outputs, expected):
        got = np.load(path).astype(np.float64)
        name = path.rsplit("/", 1)[-1].rsplit(".", 1)[0]
        err = np.abs(got - ref).max() / max(1.0, np.abs(ref).max())
        print("%s %s" % (name, "ok" if err < 1e-5 else "BAD %g" % err))


main()
