"""Shared helpers of the Python tests: the package on sys.path, models
built with onnx.helper, and running an imported model."""

import os
import sys

import numpy as np
from onnx import TensorProto, helper, mapping, numpy_helper

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(HERE)),
                                "python"))

from compress.importer import import_onnx  # noqa: E402
from compress.runtime import Module  # noqa: E402

FLOAT = TensorProto.FLOAT


def single_node(op, inputs, outputs=1, initializers=None, opset=17,
                **attrs):
    """A model of one node `op` over float graph inputs `inputs` ({name:
    array}) and constant `initializers` ({name: array}); the node's inputs
    are inputs then initializers in the order given (None: an absent
    optional input)."""
    initializers = initializers or {}
    names = []
    for k in list(inputs) + list(initializers):
        names.append("" if k is None else k)
    node = helper.make_node(op, [n for n in names],
                            ["y%d" % i for i in range(outputs)], **attrs)
    graph = helper.make_graph(
        [node], "g",
        [helper.make_tensor_value_info(
            k, mapping.NP_TYPE_TO_TENSOR_TYPE[v.dtype], v.shape)
         for k, v in inputs.items() if k is not None],
        [helper.make_tensor_value_info("y%d" % i, FLOAT, None)
         for i in range(outputs)],
        [numpy_helper.from_array(v, k) for k, v in initializers.items()
         if k is not None])
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("",
                                                                       opset)])


def run(model, inputs, threads=1, **kwargs):
    """Imports, compiles and runs `model` on the list `inputs`."""
    imported = import_onnx(model, **kwargs)
    results = Module(imported.text, "threads=%d" % threads).call(
        imported.function, imported.arguments(inputs))
    return imported.results(results)


def assert_close(got, want, rtol=1e-5, atol=1e-6):
    got, want = np.asarray(got), np.asarray(want)
    assert got.shape == want.shape, (got.shape, want.shape)
    np.testing.assert_allclose(got, want, rtol=rtol, atol=atol)
