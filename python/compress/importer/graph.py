"""Walking an ONNX graph: inputs with fixed shapes, initializers, nodes in
order, constant folding, and the converters of ops/ that emit MLIR.

Every ONNX value becomes either a numpy array (a constant: an initializer,
a Constant node, or the result of a node whose inputs are all constants,
evaluated here with the op's numpy form) or an ir.Value (a tensor the
compiled function computes). Shape-computing subgraphs (Shape -> Gather ->
Concat -> Reshape) therefore fold away once the input shapes are known.
"""

import numpy as np
import onnx
from onnx import numpy_helper

from . import ir

# op type -> converter(ctx) returning a list of outputs (ir.Value, numpy
# array, or None for an absent optional output).
CONVERTERS = {}
# op type -> numpy evaluator(ctx) for constant folding (same contract, all
# outputs numpy arrays).
FOLDERS = {}

# Opsets 9 to 17, and 6 to 8 for the ops whose older forms differ only in
# attributes the converters read (legacy broadcast, is_test, ...).
SUPPORTED_OPSETS = range(6, 18)


class ImportError_(Exception):
    """The model cannot be imported: the message names the node, its op and
    the attribute or input at fault."""


def converter(*op_types):
    def register(fn):
        for t in op_types:
            CONVERTERS[t] = fn
        return fn
    return register


def folder(*op_types):
    def register(fn):
        for t in op_types:
            FOLDERS[t] = fn
        return fn
    return register


ONNX_DTYPES = {
    onnx.TensorProto.FLOAT: np.float32,
    onnx.TensorProto.DOUBLE: np.float64,
    onnx.TensorProto.FLOAT16: np.float16,
    onnx.TensorProto.INT64: np.int64,
    onnx.TensorProto.INT32: np.int32,
    onnx.TensorProto.INT16: np.int16,
    onnx.TensorProto.INT8: np.int8,
    onnx.TensorProto.UINT8: np.uint8,
    onnx.TensorProto.BOOL: np.bool_,
}


def numpy_dtype(elem_type, where):
    if elem_type not in ONNX_DTYPES:
        raise ImportError_("%s: element type %s is not supported" % (
            where, onnx.TensorProto.DataType.Name(elem_type)))
    return np.dtype(ONNX_DTYPES[elem_type])


class Unavailable:
    """An output the importer does not compute (e.g. Dropout's mask); an
    error if anything uses it."""

    def __init__(self, reason):
        self.reason = reason


class NodeContext:
    """What a converter sees of one node."""

    def __init__(self, importer, node):
        self.importer = importer
        self.node = node
        self.b = importer.builder
        self.opset = importer.opset
        self.attrs = {a.name: a for a in node.attribute}

    # -- diagnostics -----------------------------------------------------
    def where(self):
        return "node '%s' (%s)" % (self.node.name or self.node.output[0],
                                   self.node.op_type)

    def error(self, message):
        return ImportError_("%s: %s" % (self.where(), message))

    # -- inputs ----------------------------------------------------------
    @property
    def num_inputs(self):
        return len(self.node.input)

    def has(self, i):
        return i < len(self.node.input) and self.node.input[i] != ""

    def input(self, i):
        """Input i: a numpy array (constant), an ir.Value, or None when the
        optional input is absent."""
        if not self.has(i):
            return None
        return self.importer.lookup(self.node.input[i], self)

    def inputs(self):
        return [self.input(i) for i in range(len(self.node.input))]

    def constant(self, i, what=None):
        """Input i, which must be a constant (numpy array)."""
        v = self.input(i)
        if v is not None and not isinstance(v, np.ndarray):
            raise self.error("input %d (%s) must be a constant" % (
                i, what or self.node.input[i]))
        return v

    def value(self, i, dtype=None):
        """Input i as an ir.Value (constants materialized)."""
        v = self.input(i)
        if v is None:
            raise self.error("input %d is missing" % i)
        return self.as_value(v, dtype, hint=self.node.input[i])

    def as_value(self, v, dtype=None, hint=None):
        if isinstance(v, ir.Value):
            if dtype is not None and v.dtype != np.dtype(dtype):
                raise self.error("expects %s tensors, got %s" % (
                    np.dtype(dtype), v.dtype))
            return v
        array = np.asarray(v)
        if dtype is not None:
            array = array.astype(dtype)
        return self.b.constant(array, hint)

    def float_value(self, i):
        """Input i as an f32 ir.Value; other float types are errors."""
        v = self.input(i)
        if v is None:
            raise self.error("input %d is missing" % i)
        if isinstance(v, np.ndarray):
            return self.b.constant(v.astype(np.float32), self.node.input[i])
        if v.dtype != np.float32:
            raise self.error("input %d has element type %s; only float32 "
                             "tensors are computed" % (i, v.dtype))
        return v

    def shape(self, i):
        v = self.input(i)
        return tuple(v.shape)

    # -- attributes ------------------------------------------------------
    def attr(self, name, default=None):
        a = self.attrs.get(name)
        if a is None:
            return default
        return onnx.helper.get_attribute_value(a)

    def attr_str(self, name, default=None):
        v = self.attr(name, default)
        return v.decode() if isinstance(v, bytes) else v

    def ints(self, name, default=None):
        v = self.attr(name, default)
        return None if v is None else [int(x) for x in v]

    def unsupported(self, what):
        return self.error("%s is not supported" % what)


class Importer:
    def __init__(self, model, input_shapes=None, function="predict",
                 constant_inputs=None):
        self.model = model
        self.function = function
        self.builder = ir.Builder()
        self.values = {}
        self.opset = 1
        for imp in model.opset_import:
            if imp.domain in ("", "ai.onnx"):
                self.opset = imp.version
        self.input_shapes = dict(input_shapes or {})
        self.constant_inputs = dict(constant_inputs or {})

    def lookup(self, name, ctx=None):
        if name not in self.values:
            raise ImportError_("%s: input '%s' is not produced by any node "
                               "before it" % (ctx.where() if ctx else
                                              "graph", name))
        v = self.values[name]
        if isinstance(v, Unavailable):
            raise ImportError_("%s: uses '%s', %s" % (
                ctx.where() if ctx else "the graph output", name, v.reason))
        return v

    def fix_inputs(self, graph):
        """Function arguments of the graph's non-initializer inputs: sizes
        from `input_shapes` (by name or by position; None keeps a dimension
        dynamic) or the model. A dimension the model names (dim_param) or
        leaves unknown stays dynamic: an ir.Dim of its name (inputs sharing
        a name share the size), read from the argument at run time."""
        initializers = {t.name for t in graph.initializer}
        args = []
        names = [i.name for i in graph.input if i.name not in initializers]
        for name, value in self.constant_inputs.items():
            if name not in names:
                raise ImportError_("constant_inputs names '%s', which is not "
                                   "an input of the graph (inputs: %s)" % (
                                       name, ", ".join(names)))
            self.values[name] = np.asarray(value)
        graph_inputs = [i for i in graph.input if i.name not in initializers
                        and i.name not in self.constant_inputs]
        for position, inp in enumerate(graph_inputs):
            t = inp.type.tensor_type
            if not inp.type.HasField("tensor_type"):
                raise ImportError_("graph input '%s': only tensor inputs are "
                                   "supported" % inp.name)
            dtype = numpy_dtype(t.elem_type, "graph input '%s'" % inp.name)
            given = self.input_shapes.get(inp.name,
                                          self.input_shapes.get(position))
            dims = list(t.shape.dim) if t.HasField("shape") else None
            if given is None and dims is None:
                raise ImportError_("graph input '%s' has no shape; give it "
                                   "with input_shapes" % inp.name)
            if given is not None:
                try:
                    given = [None if d is None else int(d) for d in given]
                except (TypeError, ValueError):
                    raise ImportError_("input_shapes['%s'] = %r: sizes must "
                                       "be integers or None" % (inp.name,
                                                                given))
                if dims is not None and len(given) != len(dims):
                    raise ImportError_(
                        "input_shapes['%s'] has rank %d, the input has rank "
                        "%d" % (inp.name, len(given), len(dims)))
                if any(g is not None and g <= 0 for g in given):
                    raise ImportError_("input_shapes['%s'] = %s: sizes must "
                                       "be positive" % (inp.name, given))
                for d, g in zip(dims or [], given):
                    if g is not None and d.HasField("dim_value") and \
                            d.dim_value > 0 and d.dim_value != g:
                        raise ImportError_(
                            "input_shapes['%s'] = %s contradicts the model's "
                            "static size %d" % (inp.name, given, d.dim_value))
            shape = []
            for axis in range(len(given) if given is not None else
                              len(dims)):
                if given is not None and given[axis] is not None:
                    shape.append(given[axis])
                    continue
                d = dims[axis] if dims is not None else None
                if d is not None and d.HasField("dim_value") and \
                        d.dim_value > 0:
                    shape.append(d.dim_value)
                    continue
                symbol = d.dim_param if d is not None and d.dim_param else \
                    "%s_%d" % (inp.name, axis)
                shape.append(ir.Dim(symbol))
            v = ir.Value("%%arg%d" % position, shape, dtype)
            for axis, d in enumerate(shape):
                if isinstance(d, ir.Dim):
                    self.builder.define_symbol(d.symbol, v, axis)
            args.append(v)
            self.values[inp.name] = v
        for name in self.input_shapes:
            if isinstance(name, str) and name not in [i.name for i in
                                                      graph_inputs]:
                raise ImportError_("input_shapes names '%s', which is not an "
                                   "input of the graph (inputs: %s)" % (
                                       name, ", ".join(i.name for i in
                                                       graph_inputs)))
        return args, graph_inputs

    def run(self):
        graph = self.model.graph
        if self.opset not in SUPPORTED_OPSETS:
            raise ImportError_("opset %d is not supported (6 to 17)"
                               % self.opset)
        for imp in self.model.opset_import:
            if imp.domain not in ("", "ai.onnx"):
                used = [n for n in graph.node if n.domain == imp.domain]
                if used:
                    raise ImportError_(
                        "node '%s' (%s): domain '%s' is not supported"
                        % (used[0].name, used[0].op_type, imp.domain))
        args, graph_inputs = self.fix_inputs(graph)
        for init in graph.initializer:
            array = numpy_helper.to_array(init)
            numpy_dtype(init.data_type, "initializer '%s'" % init.name)
            self.values[init.name] = array
        for node in graph.node:
            self.convert(node)
        results = []
        for out in graph.output:
            v = self.lookup(out.name)
            if isinstance(v, np.ndarray):
                try:
                    v = self.builder.constant(v, out.name)
                except ir.DynamicDimError as e:
                    raise ImportError_("graph output '%s': %s; fix it with "
                                       "input_shapes" % (out.name, e))
            results.append(v)
        text = self.builder.module(self.function, args, results)
        return text, args, graph_inputs, results

    def convert(self, node):
        ctx = NodeContext(self, node)
        if node.domain not in ("", "ai.onnx"):
            raise ctx.error("domain '%s' is not supported" % node.domain)
        inputs = [self.lookup(n, ctx) if n else None for n in node.input]
        constant = all(v is None or isinstance(v, np.ndarray)
                       for v in inputs)
        # The node's ops carry its name as their location (compress-report
        # prints it), so a layer of the IR is the ONNX node it came from.
        self.builder.location = node.name or node.output[0]
        if node.op_type not in CONVERTERS and not (
                constant and node.op_type in FOLDERS):
            raise ctx.error("op %s is not supported" % node.op_type)
        try:
            if constant and node.op_type in FOLDERS:
                outputs = FOLDERS[node.op_type](ctx)
            else:
                outputs = CONVERTERS[node.op_type](ctx)
        except ir.IRError as e:
            raise ctx.error(str(e))
        except ir.DynamicDimError as e:
            raise ctx.error("%s; fix it with input_shapes" % e)
        except (TypeError, ValueError, AttributeError,
                ZeroDivisionError) as e:
            # numpy's folding of sizes that hold a dynamic dimension fails
            # in its own ways: report the dimension (and numpy's words).
            dim = first_dim(inputs)
            if dim is None:
                raise
            raise ctx.error("the dynamic dimension '%s' cannot flow through "
                            "this op (%s: %s); fix it with input_shapes"
                            % (dim, type(e).__name__, e))
        self.builder.location = None
        outputs = [normalize(o) for o in outputs]
        if len(outputs) < len([o for o in node.output if o]):
            raise ctx.error("converter produced %d outputs, the node has %d"
                            % (len(outputs), len(node.output)))
        for name, value in zip(node.output, outputs):
            if name:
                if value is None:
                    value = Unavailable("output %d of %s, which is not "
                                        "supported" % (list(node.output)
                                                       .index(name),
                                                       ctx.where()))
                self.values[name] = value


def first_dim(values):
    """The first ir.Dim among the sizes in `values` (arrays and Values), or
    None."""
    for v in values:
        if isinstance(v, np.ndarray) and v.dtype == object:
            for d in v.flat:
                if isinstance(d, ir.Dim):
                    return d
        if isinstance(v, ir.Value):
            for d in v.shape:
                if isinstance(d, ir.Dim):
                    return d
    return None


def normalize(value):
    """A node's output as the importer keeps it: numpy scalars (np.take of
    one index) as 0-d arrays; object arrays (sizes computed from a dynamic
    dimension) as int64 once no ir.Dim is left in them."""
    if value is None or isinstance(value, (ir.Value, Unavailable)):
        return value
    if not isinstance(value, np.ndarray):
        value = np.asarray(value, object if isinstance(value, ir.Dim)
                           else None)
    if value.dtype == object and not any(isinstance(d, ir.Dim)
                                         for d in value.flat):
        value = value.astype(np.int64)
    return value


def load(model):
    """An onnx.ModelProto from a path, bytes or a ModelProto, with a clear
    error for unreadable files."""
    if isinstance(model, onnx.ModelProto):
        return model
    try:
        if isinstance(model, (bytes, bytearray)):
            proto = onnx.load_model_from_string(bytes(model))
        else:
            proto = onnx.load(str(model))
    except FileNotFoundError:
        raise ImportError_("no such file: %s" % model)
    except Exception as e:  # protobuf DecodeError and friends
        raise ImportError_("cannot read the ONNX model %s: %s" % (
            model if not isinstance(model, (bytes, bytearray)) else
            "(bytes)", e))
    if not proto.graph.node and not proto.graph.output:
        raise ImportError_("the ONNX model %s has an empty graph (corrupt or "
                           "truncated file?)" % model)
    return proto
