"""Building MLIR text: tensor types, SSA values, constants and the ops the
importer emits (func + linalg/tensor/arith/math on ranked tensors).

A dimension is a static size (an int) or a Dim: one of the model's
symbolic dimensions (``batch``) times a static factor, whose size the
function reads from its arguments at run time. Shapes are checked as they
are built; arithmetic a Dim cannot do exactly (adding sizes, comparing with
a number, a product of two symbols) raises DynamicDimError, which the
importer reports as an error naming the node, never a wrong model.
Weights become ``dense_resource`` blobs in the module's
``dialect_resources`` trailer; small constants and splats are inline
``dense<...>`` literals.
"""

import itertools
import json

import numpy as np

# numpy dtype -> MLIR element type.
ELEMENT_TYPES = {
    np.dtype(np.float32): "f32",
    np.dtype(np.float16): "f16",
    np.dtype(np.float64): "f64",
    np.dtype(np.int64): "i64",
    np.dtype(np.int32): "i32",
    np.dtype(np.int16): "i16",
    np.dtype(np.int8): "i8",
    # Unsigned codes are signless i8 in MLIR (arith and the compress ops
    # take signless integers; a #compress.quant spec carries the
    # signedness); the Value keeps uint8 for the importer's semantics.
    np.dtype(np.uint8): "i8",
    np.dtype(np.bool_): "i1",
}

# Constants with more elements than this that are not splats become
# dense_resource blobs.
INLINE_LIMIT = 16


class IRError(Exception):
    """A construct the builder cannot express (a bug of the importer or an
    unsupported combination that a converter did not catch)."""


class DynamicDimError(Exception):
    """A symbolic dimension reached a computation that needs its value."""

    def __init__(self, dim, what="this computation"):
        super().__init__(dim, what)
        self.dim = dim
        self.what = what

    def __str__(self):
        return "the dynamic dimension '%s' cannot flow through %s" % (
            self.dim, self.what)


class Dim:
    """A dynamic size: the symbol `symbol` (a named dimension of a graph
    input) times the static `factor`. Multiplying or dividing by a static
    size and adding 0 are exact; anything that needs the number raises
    DynamicDimError."""

    __slots__ = ("symbol", "factor")

    def __init__(self, symbol, factor=1):
        self.symbol = symbol
        self.factor = int(factor)

    def _fail(self, *_):
        raise DynamicDimError(self)

    __int__ = __index__ = __float__ = __bool__ = _fail
    __lt__ = __le__ = __gt__ = __ge__ = _fail
    __neg__ = __sub__ = __rsub__ = __truediv__ = __rtruediv__ = _fail
    __rfloordiv__ = __rmod__ = __pow__ = __rpow__ = _fail

    def __mul__(self, other):
        if isinstance(other, (int, np.integer)) and not isinstance(
                other, bool) and other > 0:
            return Dim(self.symbol, self.factor * int(other))
        raise DynamicDimError(self, "a product with %s" % (other,))

    __rmul__ = __mul__

    def __floordiv__(self, other):
        if isinstance(other, (int, np.integer)) and other > 0 and \
                self.factor % int(other) == 0:
            return Dim(self.symbol, self.factor // int(other))
        raise DynamicDimError(self, "a division by %s" % (other,))

    def __mod__(self, other):
        if isinstance(other, (int, np.integer)) and other > 0 and \
                self.factor % int(other) == 0:
            return 0
        raise DynamicDimError(self, "a remainder by %s" % (other,))

    def __add__(self, other):
        if isinstance(other, (int, np.integer)) and other == 0:
            return self
        raise DynamicDimError(self, "a sum of sizes")

    __radd__ = __add__

    def __eq__(self, other):
        return isinstance(other, Dim) and other.symbol == self.symbol and \
            other.factor == self.factor

    def __ne__(self, other):
        return not self == other

    def __hash__(self):
        return hash((self.symbol, self.factor))

    def __repr__(self):
        return self.symbol if self.factor == 1 else "%d*%s" % (
            self.factor, self.symbol)

    __str__ = __repr__


def is_static(shape):
    return not any(isinstance(d, Dim) for d in shape)


def dims_product(shape):
    """The product of the sizes of `shape`: an int, or a Dim when one size
    is dynamic."""
    total = 1
    dynamic = None
    for d in shape:
        if isinstance(d, Dim):
            if dynamic is not None:
                raise DynamicDimError(d, "a product of two dynamic sizes")
            dynamic = d
        else:
            total *= int(d)
    if dynamic is None:
        return total
    if total == 0:
        return 0
    return dynamic * total


class Value:
    """An SSA value of ranked tensor type."""

    def __init__(self, name, shape, dtype):
        self.name = name
        self.shape = tuple(d if isinstance(d, Dim) else int(d)
                           for d in shape)
        self.dtype = np.dtype(dtype)

    @property
    def rank(self):
        return len(self.shape)

    @property
    def type(self):
        return tensor_type(self.shape, self.dtype)

    def __repr__(self):
        return "Value(%s : %s)" % (self.name, self.type)


def element_type(dtype):
    dtype = np.dtype(dtype)
    if dtype not in ELEMENT_TYPES:
        raise IRError("no MLIR element type for %s" % dtype)
    return ELEMENT_TYPES[dtype]


def tensor_type(shape, dtype):
    dims = "".join("?x" if isinstance(d, Dim) else "%dx" % d for d in shape)
    return "tensor<%s%s>" % (dims, element_type(dtype))


def float_literal(value, dtype=np.float32):
    """An MLIR float literal that reads back as exactly `value` in `dtype`:
    the hexadecimal bit pattern (also for inf and nan)."""
    dtype = np.dtype(dtype)
    bits = np.array(value, dtype).view({2: np.uint16, 4: np.uint32,
                                        8: np.uint64}[dtype.itemsize])
    return "0x%0*X" % (dtype.itemsize * 2, int(bits))


def scalar_literal(value, dtype):
    dtype = np.dtype(dtype)
    if dtype.kind == "f":
        return float_literal(value, dtype)
    if dtype == np.bool_:
        return "true" if value else "false"
    return str(int(value))


def is_splat(array):
    """Whether every element of the numpy array has the same bits (checked
    without copying views of one value, e.g. np.broadcast_to's)."""
    if array.size == 0:
        return False
    if all(st == 0 for st in array.strides):
        return True
    flat = np.ascontiguousarray(array).reshape(-1)
    bits = flat.view(np.uint8).reshape(flat.size, -1)
    return bool(np.all(bits == bits[:1]))


def nested_literal(array):
    """The nested [...] literal of a numpy array."""
    if array.ndim == 0:
        return scalar_literal(array[()], array.dtype)
    return "[%s]" % ", ".join(nested_literal(a) for a in array)


def affine_map(num_dims, results):
    dims = ", ".join("d%d" % i for i in range(num_dims))
    return "affine_map<(%s) -> (%s)>" % (dims, ", ".join(results))


def broadcast_map(in_shape, out_shape):
    """The indexing map reading an operand of `in_shape` broadcast (numpy
    rules, aligned right) to `out_shape`."""
    offset = len(out_shape) - len(in_shape)
    results = []
    for i, d in enumerate(in_shape):
        if d == 1 and out_shape[offset + i] != 1:
            results.append("0")
        else:
            results.append("d%d" % (offset + i))
    return affine_map(len(out_shape), results)


def broadcast_shape(*shapes):
    """numpy's broadcast of `shapes`; a dynamic size broadcasts with 1 and
    with itself."""
    if all(is_static(s) for s in shapes):
        try:
            return tuple(int(d) for d in np.broadcast_shapes(*shapes))
        except ValueError:
            raise IRError("shapes %s do not broadcast" %
                          ", ".join(str(list(s)) for s in shapes))
    rank = max(len(s) for s in shapes)
    out = []
    for i in range(rank):
        sizes = {s[len(s) - rank + i] for s in shapes
                 if len(s) - rank + i >= 0}
        sizes.discard(1)
        if len(sizes) > 1:
            dynamic = [d for d in sizes if isinstance(d, Dim)]
            if dynamic:
                raise DynamicDimError(dynamic[0], "a broadcast with %s" % (
                    ", ".join(str(list(s)) for s in shapes)))
            raise IRError("shapes %s do not broadcast" %
                          ", ".join(str(list(s)) for s in shapes))
        out.append(sizes.pop() if sizes else 1)
    return tuple(out)


def group_sizes(long, short):
    """Reassociation groups of `long` (indices) whose products are the
    sizes of `short`, trailing 1s joining the last group; None when the
    sizes do not group."""
    groups, i = [], 0
    for size in short:
        group = []
        while True:
            if i >= len(long):
                return None
            group.append(i)
            i += 1
            try:
                product = dims_product([long[j] for j in group])
            except DynamicDimError:
                return None
            if product == size:
                break
            if isinstance(product, int) and isinstance(size, int) and \
                    product > size:
                return None
        groups.append(group)
    if not groups:
        return None
    while i < len(long):
        if long[i] != 1:
            return None
        groups[-1].append(i)
        i += 1
    return groups


class Body:
    """The region of a linalg.generic: scalar ops on its block arguments."""

    def __init__(self, names, ty="f32"):
        self.lines = []
        self.counter = itertools.count()
        self.args = names
        # The float type of constants and ops that do not name one.
        self.ty = ty

    def fresh(self):
        return "%%b%d" % next(self.counter)

    def op(self, text):
        """Emits `%name = text` and returns %name."""
        name = self.fresh()
        self.lines.append("%s = %s" % (name, text))
        return name

    def const(self, value, ty=None):
        ty = ty or self.ty
        if ty.startswith("f"):
            return self.op("arith.constant %s : %s"
                           % (float_literal(value, {"f32": np.float32,
                                                    "f16": np.float16,
                                                    "f64": np.float64}[ty]),
                              ty))
        if ty == "i1":
            return self.op("arith.constant %s" %
                           ("true" if value else "false"))
        return self.op("arith.constant %d : %s" % (int(value), ty))

    def binary(self, op, a, b, ty=None):
        return self.op("%s %s, %s : %s" % (op, a, b, ty or self.ty))

    def unary(self, op, a, ty=None):
        return self.op("%s %s : %s" % (op, a, ty or self.ty))

    def cmpf(self, predicate, a, b, ty=None):
        return self.op("arith.cmpf %s, %s, %s : %s" % (predicate, a, b,
                                                        ty or self.ty))

    def select(self, cond, a, b, ty=None):
        return self.op("arith.select %s, %s, %s : %s" % (cond, a, b,
                                                          ty or self.ty))


class Builder:
    """The body of one function and the module's resource blobs."""

    def __init__(self):
        self.lines = []
        self.counter = itertools.count()
        self.resources = {}
        self.resource_names = set()
        # The location of the ops emitted next (an ONNX node's name), or
        # None.
        self.location = None
        # Dynamic sizes: symbol -> SSA index value (read from an argument
        # at the function's entry), and Dim -> SSA of the scaled size.
        self.symbols = {}
        self.sizes = {}

    # -- basics ------------------------------------------------------------
    def fresh(self, hint="v"):
        return "%%%s%d" % (hint, next(self.counter))

    def emit(self, text):
        if self.location:
            text += " loc(%s)" % json.dumps(self.location)
        self.lines.append(text)

    def result(self, text, shape, dtype, hint="v"):
        """Emits `%name = text` and returns the Value %name."""
        name = self.fresh(hint)
        self.emit("%s = %s" % (name, text))
        return Value(name, shape, dtype)

    # -- constants ---------------------------------------------------------
    def resource_name(self, hint):
        base = "".join(c if c.isalnum() or c == "_" else "_"
                       for c in (hint or "w"))
        if not base or base[0].isdigit():
            base = "w_" + base
        name, i = base, 1
        while name in self.resource_names:
            name = "%s_%d" % (base, i)
            i += 1
        self.resource_names.add(name)
        return name

    def constant(self, array, hint=None):
        """A constant tensor of the numpy array's values and dtype."""
        array = np.asarray(array)
        if array.dtype == object:
            # A shape computed from a dynamic dimension, used as data.
            dim = next((d for d in array.flat if isinstance(d, Dim)), None)
            if dim is not None:
                raise DynamicDimError(dim, "a tensor of sizes")
            raise IRError("no MLIR element type for %s" % array.dtype)
        ty = tensor_type(array.shape, array.dtype)
        dtype = array.dtype
        if dtype == np.uint8:
            # Written as the signless i8 of the same bits.
            array = array.view(np.int8)
        if is_splat(array):
            first = array[(0,) * array.ndim]
            text = "dense<%s>" % scalar_literal(first, array.dtype)
            return self.result("arith.constant %s : %s" % (text, ty),
                               array.shape, dtype, "c")
        if array.size <= INLINE_LIMIT or array.dtype == np.bool_:
            text = "dense<%s>" % nested_literal(array)
        else:
            name = self.resource_name(hint)
            data = np.ascontiguousarray(array).astype(
                array.dtype.newbyteorder("<")).tobytes()
            self.resources[name] = data
            text = "dense_resource<%s>" % name
        return self.result("arith.constant %s : %s" % (text, ty),
                           array.shape, dtype, "c")

    def scalar(self, value, ty):
        """A scalar (not tensor) constant of MLIR type `ty` (f32, index)."""
        name = self.fresh("s")
        if ty == "index":
            self.emit("%s = arith.constant %d : index" % (name, value))
        else:
            self.emit("%s = arith.constant %s : %s"
                      % (name, float_literal(value), ty))
        return name

    # -- dynamic sizes -------------------------------------------------------
    def define_symbol(self, symbol, argument, axis):
        """Reads the size of `symbol` from dimension `axis` of the Value
        `argument` (at the function's entry)."""
        if symbol in self.symbols:
            return
        index = self.scalar(axis, "index")
        name = self.fresh("dim")
        self.emit("%s = tensor.dim %s, %s : %s" % (name, argument.name, index,
                                                   argument.type))
        self.symbols[symbol] = name

    def size(self, d):
        """The text of size `d` in an op's mixed size list: the number, or
        the SSA index value of a Dim."""
        if not isinstance(d, Dim):
            return str(int(d))
        if d.factor == 1:
            return self.symbols[d.symbol]
        if d not in self.sizes:
            factor = self.scalar(d.factor, "index")
            name = self.fresh("dim")
            self.emit("%s = arith.muli %s, %s : index" % (
                name, self.symbols[d.symbol], factor))
            self.sizes[d] = name
        return self.sizes[d]

    # -- structured ops ----------------------------------------------------
    def empty(self, shape, dtype):
        dynamic = ", ".join(self.size(d) for d in shape if isinstance(d, Dim))
        return self.result("tensor.empty(%s) : %s" % (
            dynamic, tensor_type(shape, dtype)), shape, dtype, "e")

    def fill(self, value, shape, dtype=np.float32):
        e = self.empty(shape, dtype)
        s = self.fresh("s")
        self.emit("%s = arith.constant %s : %s"
                  % (s, scalar_literal(value, dtype), element_type(dtype)))
        return self.result("linalg.fill ins(%s : %s) outs(%s : %s) -> %s"
                           % (s, element_type(dtype), e.name, e.type, e.type),
                           shape, dtype, "f")

    def generic(self, inputs, maps, out_shape, out_dtype, iterators,
                body_fn, init=None):
        """A linalg.generic over `inputs` (Values) with indexing `maps` (one
        per input, then the output's), one result; `body_fn(body, args,
        out)` returns the yielded scalar name. The output operand is a new
        tensor.empty unless `init` (a Value) is given."""
        out = init if init is not None else self.empty(out_shape, out_dtype)
        arg_names = ["%%a%d" % i for i in range(len(inputs))]
        # Constants of the body take the float type of the first float
        # operand (f32 unless the model computes in f64 or f16).
        floats = [element_type(v.dtype) for v in list(inputs) + [out]
                  if np.dtype(v.dtype).kind == "f"]
        body = Body(arg_names, floats[0] if floats else "f32")
        yielded = body_fn(body, arg_names, "%out")
        header = ", ".join("%s: %s" % (n, element_type(v.dtype))
                           for n, v in zip(arg_names, inputs))
        header += (", " if inputs else "") + "%%out: %s" % \
            element_type(out_dtype)
        ins = ""
        if inputs:
            ins = " ins(%s : %s)" % (", ".join(v.name for v in inputs),
                                     ", ".join(v.type for v in inputs))
        text = ("linalg.generic {indexing_maps = [%s], iterator_types = [%s]}"
                "%s outs(%s : %s) {\n^bb0(%s):\n%s\n  linalg.yield %s : %s\n"
                "} -> %s") % (
            ", ".join(maps), ", ".join('"%s"' % t for t in iterators), ins,
            out.name, out.type, header,
            "\n".join("  " + l for l in body.lines), yielded,
            element_type(out_dtype), tensor_type(out_shape, out_dtype))
        return self.result(text, out_shape, out_dtype)

    def elementwise(self, inputs, body_fn, out_dtype=np.float32,
                    out_shape=None):
        """An elementwise op over `inputs` (Values) broadcast together
        (numpy rules)."""
        shape = broadcast_shape(*[v.shape for v in inputs])
        if out_shape is not None:
            # A larger output (an operand broadcast to it) must still be a
            # broadcast of every operand.
            if broadcast_shape(shape, out_shape) != tuple(out_shape):
                raise IRError("shapes %s do not broadcast to %s" % (
                    ", ".join(str(list(v.shape)) for v in inputs),
                    list(out_shape)))
            shape = tuple(out_shape)
        maps = [broadcast_map(v.shape, shape) for v in inputs]
        maps.append(affine_map(len(shape),
                               ["d%d" % i for i in range(len(shape))]))
        return self.generic(inputs, maps, shape, out_dtype,
                            ["parallel"] * len(shape), body_fn)

    def reduce(self, x, axes, init_value, combine, keepdims=True):
        """Reduces `x` over `axes` with `combine(body, element, acc)` from
        `init_value`; keeps the reduced dimensions as 1 when `keepdims`."""
        axes = sorted(set(a % x.rank for a in axes)) if x.rank else []
        kept = [d for d in range(x.rank) if d not in axes]
        out_shape = tuple(x.shape[d] for d in kept)
        init = self.fill(init_value, out_shape, x.dtype)
        in_map = affine_map(x.rank, ["d%d" % i for i in range(x.rank)])
        out_map = affine_map(x.rank, ["d%d" % d for d in kept])
        iterators = ["reduction" if d in axes else "parallel"
                     for d in range(x.rank)]
        r = self.generic([x], [in_map, out_map], out_shape, x.dtype,
                         iterators,
                         lambda b, a, o: combine(b, a[0], o), init=init)
        if keepdims:
            r = self.reshape(r, tuple(1 if d in axes else x.shape[d]
                                      for d in range(x.rank)))
        return r

    def reshape(self, x, shape):
        """x with a new shape of as many elements (collapse to one
        dimension, then expand)."""
        shape = tuple(d if isinstance(d, Dim) else int(d) for d in shape)
        if not (is_static(shape) and is_static(x.shape)):
            return self.dynamic_reshape(x, shape)
        if int(np.prod(shape)) != int(np.prod(x.shape)):
            raise IRError("cannot reshape %s to %s" % (list(x.shape),
                                                        list(shape)))
        if shape == x.shape:
            return x
        if x.rank == 0 or not shape:
            # From or to a scalar: every other dimension is 1.
            if x.rank == 0:
                return self.result(
                    "tensor.expand_shape %s [] output_shape [%s] : %s into %s"
                    % (x.name, ", ".join(str(d) for d in shape), x.type,
                       tensor_type(shape, x.dtype)), shape, x.dtype)
            return self.result("tensor.collapse_shape %s [] : %s into %s"
                               % (x.name, x.type, tensor_type((), x.dtype)),
                               (), x.dtype)
        flat = x
        if x.rank != 1:
            groups = "[%s]" % ", ".join(str(i) for i in range(x.rank))
            flat = self.result("tensor.collapse_shape %s [%s] : %s into %s"
                               % (x.name, groups, x.type,
                                  tensor_type((int(np.prod(x.shape)),),
                                              x.dtype)),
                               (int(np.prod(x.shape)),), x.dtype)
        if len(shape) == 1:
            return flat
        groups = "[%s]" % ", ".join(str(i) for i in range(len(shape)))
        return self.result(
            "tensor.expand_shape %s [%s] output_shape [%s] : %s into %s"
            % (flat.name, groups, ", ".join(str(d) for d in shape),
               flat.type, tensor_type(shape, x.dtype)), shape, x.dtype)

    def dynamic_reshape(self, x, shape):
        """reshape() where a size is dynamic: one collapse_shape or
        expand_shape when the sizes group (the dynamic one with static
        ones), else a collapse to one dimension and an expand."""
        if dims_product(shape) != dims_product(x.shape):
            raise IRError("cannot reshape %s to %s" % (list(x.shape),
                                                        list(shape)))
        if shape == x.shape:
            return x
        if not shape or x.rank == 0:
            raise DynamicDimError(next(d for d in x.shape + shape
                                       if isinstance(d, Dim)),
                                  "a reshape to or from a scalar")
        if len(shape) < x.rank:
            groups = group_sizes(x.shape, shape)
            if groups is not None:
                return self.collapse(x, groups, shape)
        elif len(shape) > x.rank:
            groups = group_sizes(shape, x.shape)
            if groups is not None:
                return self.expand(x, groups, shape)
        flat = self.collapse(x, [list(range(x.rank))],
                             (dims_product(x.shape),))
        return self.expand(flat, [list(range(len(shape)))], shape)

    def collapse(self, x, groups, shape):
        if x.rank == len(shape):
            return x
        return self.result("tensor.collapse_shape %s [%s] : %s into %s" % (
            x.name, ", ".join("[%s]" % ", ".join(str(i) for i in g)
                              for g in groups), x.type,
            tensor_type(shape, x.dtype)), shape, x.dtype)

    def expand(self, x, groups, shape):
        if x.rank == len(shape):
            return x
        return self.result(
            "tensor.expand_shape %s [%s] output_shape [%s] : %s into %s" % (
                x.name, ", ".join("[%s]" % ", ".join(str(i) for i in g)
                                  for g in groups),
                ", ".join(self.size(d) for d in shape), x.type,
                tensor_type(shape, x.dtype)), shape, x.dtype)

    def transpose(self, x, perm):
        perm = [int(p) for p in perm]
        if perm == list(range(x.rank)):
            return x
        shape = tuple(x.shape[p] for p in perm)
        e = self.empty(shape, x.dtype)
        return self.result(
            "linalg.transpose ins(%s : %s) outs(%s : %s) permutation = [%s]"
            % (x.name, x.type, e.name, e.type,
               ", ".join(str(p) for p in perm)), shape, x.dtype)

    def pad(self, x, low, high, value=0.0):
        """tensor.pad of `x` with `value`; low/high per dimension, >= 0."""
        if not any(low) and not any(high):
            return x
        shape = tuple(d + lo + hi for d, lo, hi in zip(x.shape, low, high))
        s = self.fresh("s")
        text = ("tensor.pad %s low[%s] high[%s] {\n^bb0(%s):\n"
                "  tensor.yield %s : %s\n} : %s to %s") % (
            x.name, ", ".join(str(int(v)) for v in low),
            ", ".join(str(int(v)) for v in high),
            ", ".join("%%i%d: index" % i for i in range(x.rank)), s,
            element_type(x.dtype), x.type, tensor_type(shape, x.dtype))
        self.emit("%s = arith.constant %s : %s"
                  % (s, scalar_literal(value, x.dtype),
                     element_type(x.dtype)))
        return self.result(text, shape, x.dtype, "p")

    def extract_slice(self, x, offsets, sizes, strides=None):
        strides = strides or [1] * x.rank
        if list(offsets) == [0] * x.rank and tuple(sizes) == x.shape:
            return x
        shape = tuple(s if isinstance(s, Dim) else int(s) for s in sizes)
        return self.result(
            "tensor.extract_slice %s[%s] [%s] [%s] : %s to %s"
            % (x.name, ", ".join(str(int(o)) for o in offsets),
               ", ".join(self.size(s) for s in shape),
               ", ".join(str(int(s)) for s in strides), x.type,
               tensor_type(shape, x.dtype)), shape, x.dtype)

    def insert_slice(self, x, into, offsets, strides=None):
        strides = strides or [1] * x.rank
        return self.result(
            "tensor.insert_slice %s into %s[%s] [%s] [%s] : %s into %s"
            % (x.name, into.name, ", ".join(str(int(o)) for o in offsets),
               ", ".join(self.size(s) for s in x.shape),
               ", ".join(str(int(s)) for s in strides), x.type, into.type),
            into.shape, into.dtype)

    def concat(self, values, axis):
        if len(values) == 1:
            return values[0]
        shape = list(values[0].shape)
        shape[axis] = sum(v.shape[axis] for v in values)
        out = self.empty(tuple(shape), values[0].dtype)
        offset = 0
        for v in values:
            if v.shape[axis] == 0:
                continue
            offsets = [0] * len(shape)
            offsets[axis] = offset
            out = self.insert_slice(v, out, offsets)
            offset += v.shape[axis]
        return out

    def named(self, op, inputs, init, attrs=""):
        """A linalg named op (matmul, conv_*, pooling_*) into `init`."""
        return self.result(
            "linalg.%s%s ins(%s : %s) outs(%s : %s) -> %s"
            % (op, (" " + attrs) if attrs else "",
               ", ".join(v.name for v in inputs),
               ", ".join(v.type for v in inputs), init.name, init.type,
               init.type), init.shape, init.dtype)

    # -- output --------------------------------------------------------------
    def module(self, function, arguments, results):
        """The module text: one public function `function` of `arguments`
        (Values) returning `results` (Values)."""
        out = ["module {"]
        out.append("  func.func @%s(%s) -> (%s) {" % (
            function, ", ".join("%s: %s" % (a.name, a.type)
                                for a in arguments),
            ", ".join(r.type for r in results)))
        for line in self.lines:
            for part in line.split("\n"):
                out.append("    " + part)
        out.append("    return %s : %s" % (
            ", ".join(r.name for r in results),
            ", ".join(r.type for r in results)))
        out.append("  }")
        out.append("}")
        if self.resources:
            out.append("{-#")
            out.append("  dialect_resources: {")
            out.append("    builtin: {")
            items = list(self.resources.items())
            for i, (name, data) in enumerate(items):
                # A 4-byte little-endian alignment (64), then the bytes.
                out.append('      %s: "0x40000000%s"%s' % (
                    name, data.hex().upper(), "," if i + 1 < len(items)
                    else ""))
            out.append("    }")
            out.append("  }")
            out.append("#-}")
        return "\n".join(out) + "\n"
