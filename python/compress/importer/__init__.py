"""ONNX to MLIR: func + linalg/tensor/arith/math on ranked tensors (static,
or with the model's dynamic dimensions), weights as dense_resource blobs.

    text, info = import_onnx("model.onnx", input_shapes={"x": [1, 3, 224, 224]})
"""

import numpy as np

from .graph import ImportError_ as ImportError_  # noqa: F401
from .graph import CONVERTERS, Importer, load
from . import ops  # noqa: F401  (registers the converters)
from .ops import quant  # noqa: F401


class ImportedModel:
    """The MLIR text of an imported model and its interface."""

    def __init__(self, text, function, inputs, outputs):
        self.text = text
        self.function = function
        # [(ONNX name, shape, numpy dtype)]
        self.inputs = inputs
        self.outputs = outputs

    def arguments(self, arrays):
        """The arrays to call the compiled function with: unsigned 8-bit
        inputs as the int8 of the same bits (MLIR's signless i8)."""
        out = []
        for a in arrays:
            a = np.asarray(a)
            out.append(a.view(np.int8) if a.dtype == np.uint8 else a)
        return out

    def results(self, arrays):
        """The function's results with the graph outputs' dtypes (uint8
        outputs come back as int8 of the same bits)."""
        return [a.view(dtype) if a.dtype != dtype and a.dtype.itemsize ==
                np.dtype(dtype).itemsize else a
                for a, (_, _, dtype) in zip(arrays, self.outputs)]


def import_onnx(model, input_shapes=None, function="predict",
                constant_inputs=None):
    """Imports an ONNX model (a path, bytes or onnx.ModelProto).

    input_shapes: {input name or position: shape} fixing the inputs'
    dynamic dimensions (None keeps one dynamic); dimensions not fixed stay
    dynamic (ir.Dim sizes in ImportedModel.inputs).
    constant_inputs: {input name: numpy array} binding graph inputs to
    constants (inputs that give shapes, e.g. Expand's or Reshape's); they
    are not arguments of the function.
    Raises compress.ImportError_ naming the node, op and attribute for what
    it cannot import."""
    proto = load(model)
    importer = Importer(proto, input_shapes, function, constant_inputs)
    text, args, graph_inputs, results = importer.run()
    inputs = [(g.name, a.shape, a.dtype) for g, a in zip(graph_inputs, args)]
    outputs = [(o.name, r.shape, r.dtype) for o, r in
               zip(proto.graph.output, results)]
    return ImportedModel(text, function, inputs, outputs)


def supported_ops():
    """The ONNX op types the importer converts."""
    return sorted(CONVERTERS)
