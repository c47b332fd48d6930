#!/usr/bin/python3
"""ONNX's own backend test data (data/onnx-backend, written by the ONNX
project) through import -> compile -> run, compared with the expected
outputs at ONNX's tolerances.

    conformance.py [--markdown FILE] [--threads N] [NAME-FILTER ...]

prints one line per case (and with --markdown writes the table of
docs/python.md). Used by test_conformance.py.
"""

import argparse
import glob
import os
import sys
import time

import numpy as np
import onnx
from onnx import numpy_helper

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "data", "onnx-backend")
sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(HERE)),
                                "python"))

from compress.importer import ImportError_, import_onnx  # noqa: E402
from compress.runtime import Module  # noqa: E402

# Cases the importer rejects, by design, with the reason (a substring of
# its error message).
UNSUPPORTED = {
    "test_AvgPool3d": "3-D pooling",
    "test_AvgPool3d_stride": "3-D pooling",
    "test_AvgPool3d_stride1_pad0_gpu_input": "3-D pooling",
    "test_MaxPool3d": "3-D pooling",
    "test_MaxPool3d_stride": "3-D pooling",
    "test_MaxPool3d_stride_padding": "3-D pooling",
    "test_BatchNorm3d_eval": None,
    "test_BatchNorm3d_momentum_eval": None,
    "test_Conv3d": "3-D convolution",
    "test_Conv3d_dilated": "3-D convolution",
    "test_Conv3d_dilated_strided": "3-D convolution",
    "test_Conv3d_groups": "3-D convolution",
    "test_Conv3d_no_bias": "3-D convolution",
    "test_Conv3d_stride": "3-D convolution",
    "test_Conv3d_stride_padding": "3-D convolution",
    "test_gradient_of_add": "domain 'ai.onnx.preview.training'",
    "test_gradient_of_add_and_mul": "domain 'ai.onnx.preview.training'",
    "test_sequence_model1": "SequenceEmpty",
    "test_sequence_model2": "SequenceConstruct",
    "test_sequence_model3": "SequenceConstruct",
    "test_sequence_model4": "SequenceConstruct",
    "test_sequence_model5": "SequenceConstruct",
    "test_sequence_model6": "SplitToSequence",
    "test_sequence_model7": "SplitToSequence",
    "test_sequence_model8": "sizes must be positive",  # X is empty
    "test_strnorm_model_monday_casesensintive_lower": "STRING",
    "test_strnorm_model_monday_casesensintive_nochangecase": "STRING",
    "test_strnorm_model_monday_casesensintive_upper": "STRING",
    "test_strnorm_model_monday_empty_output": "STRING",
    "test_strnorm_model_monday_insensintive_upper_twodim": "STRING",
    "test_strnorm_model_nostopwords_nochangecase": "STRING",
}
# 3-D batch norm imports (it is elementwise), so it passes: not listed.
UNSUPPORTED = {k: v for k, v in UNSUPPORTED.items() if v is not None}

# Graph inputs that give a shape (their values decide the output's shape):
# imported as constants bound to the test's values.
SHAPE_INPUTS = {"test_expand_shape_model1": ["shape"],
                "test_expand_shape_model2": ["shape"],
                "test_expand_shape_model3": ["shape"],
                "test_expand_shape_model4": ["shape"]}


def read_tensors(folder, prefix):
    paths = glob.glob(os.path.join(folder, prefix + "_*.pb"))
    paths.sort(key=lambda p: int(p.rsplit("_", 1)[1][:-3]))
    return [numpy_helper.to_array(onnx.load_tensor(p)) for p in paths]


def node_cases():
    """(name, model path, inputs, expected outputs, rtol) of the
    one-model folders."""
    out = []
    for group in ("pytorch-converted", "pytorch-operator", "simple"):
        for folder in sorted(glob.glob(os.path.join(DATA, group, "*"))):
            out.append((os.path.basename(folder), group, folder))
    return out


def light_cases():
    return [(os.path.basename(p)[len("light_"):-len(".onnx")], "light", p)
            for p in sorted(glob.glob(os.path.join(DATA, "light",
                                                   "light_*.onnx")))]


def all_cases():
    return node_cases() + light_cases()


def close(got, want, rtol, atol=1e-7):
    """ONNX's check: numpy.testing.assert_allclose (NaNs equal)."""
    if got.shape != want.shape:
        return False, "shape %s, expected %s" % (list(got.shape),
                                                 list(want.shape))
    if want.dtype.kind not in "fc":
        ok = np.array_equal(got, want)
        return ok, "" if ok else "values differ"
    ok = np.allclose(got.astype(np.float64), want.astype(np.float64),
                     rtol=rtol, atol=atol, equal_nan=True)
    err = np.nanmax(np.abs(got.astype(np.float64) - want)) if got.size else 0
    return ok, "max abs error %.3g" % err


def run_case(name, group, path, threads=1):
    """(status, detail, seconds): status 'pass', 'fail' (wrong numbers) or
    'unsupported' (an import error, its message in detail)."""
    start = time.time()
    if group == "light":
        model = onnx.load(path)
        want = [numpy_helper.to_array(onnx.load_tensor(
            path[:-len(".onnx")] + "_output_0.pb"))]
        inits = {i.name for i in model.graph.initializer}
        graph_input = [i for i in model.graph.input
                       if i.name not in inits][0]
        shape = [d.dim_value or 1 for d in
                 graph_input.type.tensor_type.shape.dim]
        n = int(np.prod(shape))
        inputs = [(np.arange(n).reshape(shape) / n).astype(np.float32)]
        names = [graph_input.name]
        rtol = 2e-3 if name == "densenet121" else 1e-3
    else:
        model = onnx.load(os.path.join(path, "model.onnx"))
        data = os.path.join(path, "test_data_set_0")
        inputs = read_tensors(data, "input")
        want = read_tensors(data, "output")
        inits = {i.name for i in model.graph.initializer}
        names = [i.name for i in model.graph.input if i.name not in inits]
        rtol = 1e-3
    bound = {n: x for n, x in zip(names, inputs)
             if n in SHAPE_INPUTS.get(name, [])}
    args = [x for n, x in zip(names, inputs) if n not in bound]
    shapes = {n: list(x.shape) for n, x in zip(names, inputs)
              if n not in bound}
    try:
        imported = import_onnx(model, input_shapes=shapes,
                               constant_inputs=bound)
    except ImportError_ as e:
        return "unsupported", str(e), time.time() - start
    module = Module(imported.text, "threads=%d" % threads)
    got = module.call(imported.function, args)
    details = []
    ok = len(got) == len(want)
    for g, w in zip(got, want):
        good, detail = close(g, w, rtol)
        ok = ok and good
        details.append(detail)
    return ("pass" if ok else "fail"), "; ".join(details), \
        time.time() - start


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("filters", nargs="*")
    parser.add_argument("--markdown")
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args(argv)
    rows = []
    for name, group, path in all_cases():
        if args.filters and not any(f in name for f in args.filters):
            continue
        status, detail, seconds = run_case(name, group, path, args.threads)
        rows.append((group, name, status, detail))
        print("%-11s %-50s %-11s %5.1fs %s" % (group, name, status, seconds,
                                              detail[:120]), flush=True)
    counts = {s: sum(r[2] == s for r in rows) for s in
              ("pass", "fail", "unsupported")}
    print("%(pass)d passed, %(fail)d failed, %(unsupported)d unsupported"
          % counts)
    if args.markdown:
        with open(args.markdown, "w") as f:
            f.write("| group | case | result | detail |\n|---|---|---|---|\n")
            for group, name, status, detail in rows:
                f.write("| %s | %s | %s | %s |\n" % (
                    group, name, status, detail.replace("|", "\\|")))
    return 1 if counts["fail"] else 0


if __name__ == "__main__":
    sys.exit(main())
