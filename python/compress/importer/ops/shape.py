"""Shape and data-movement ops: Shape, Constant(OfShape), Reshape,
Flatten, (Un)Squeeze, Transpose, Concat, Split, Slice, Gather, Expand,
Tile, Pad, Range, DepthToSpace/SpaceToDepth. With static shapes, their
shape arguments are constants, so the MLIR forms are reshapes, slices,
inserts, transposes and pads."""

import numpy as np
from onnx import numpy_helper

from ..graph import converter, folder
from .. import ir


def norm_axis(ctx, axis, rank):
    if not -rank <= axis < max(rank, 1):
        raise ctx.error("axis %d is out of range for rank %d" % (axis, rank))
    return axis % rank if rank else 0


# -- Constant, Shape, Size, ConstantOfShape, Range ------------------------------

@converter("Constant")
def convert_constant(ctx):
    if "value" in ctx.attrs:
        return [numpy_helper.to_array(ctx.attrs["value"].t)]
    for name, make in (("value_float", lambda v: np.array(v, np.float32)),
                       ("value_floats", lambda v: np.array(v, np.float32)),
                       ("value_int", lambda v: np.array(v, np.int64)),
                       ("value_ints", lambda v: np.array(v, np.int64))):
        if name in ctx.attrs:
            return [make(ctx.attr(name))]
    raise ctx.unsupported("this Constant form (sparse or string value)")


@converter("Shape")
@folder("Shape")
def convert_shape(ctx):
    shape = ctx.shape(0)
    # A dynamic size stays symbolic: an object array of ints and ir.Dims,
    # which the shape folders (Gather, Concat, Unsqueeze, Slice, Mul, ...)
    # carry to a Reshape; anything that needs its number fails there.
    shape = np.array(shape, np.int64) if ir.is_static(shape) else np.array(
        list(shape), object)
    start, end = ctx.attr("start", 0), ctx.attr("end", None)
    if ctx.opset >= 15:
        rank = len(shape)
        start = min(max(start + rank if start < 0 else start, 0), rank)
        end = rank if end is None else min(max(end + rank if end < 0
                                               else end, 0), rank)
        shape = shape[start:end]
    return [shape]


@converter("Size")
@folder("Size")
def convert_size(ctx):
    size = ir.dims_product(ctx.shape(0))
    return [np.array(size, np.int64 if isinstance(size, int) else object)]


@converter("ConstantOfShape")
@folder("ConstantOfShape")
def convert_constant_of_shape(ctx):
    shape = ctx.constant(0, "the shape")
    value = np.zeros(1, np.float32)
    if "value" in ctx.attrs:
        value = numpy_helper.to_array(ctx.attrs["value"].t)
    # A zero-stride view: a splat weight of a large model takes no memory
    # (the builder emits it as dense<v>).
    return [np.broadcast_to(value.reshape(-1)[:1].reshape(()),
                            [int(d) for d in shape])]


@converter("Range")
@folder("Range")
def convert_range(ctx):
    start, limit, delta = (ctx.constant(i) for i in range(3))
    return [np.arange(start, limit, delta).astype(start.dtype)]


# -- Reshape, Flatten, Squeeze, Unsqueeze ---------------------------------------

def reshape_target(ctx, shape, target, allowzero=0):
    """The output shape of a Reshape of `shape` to `target` (0 copies the
    input's size, -1 takes the rest); sizes may be dynamic (ir.Dim)."""
    target = [d if isinstance(d, ir.Dim) else int(d) for d in target]
    out = []
    for i, d in enumerate(target):
        if not isinstance(d, ir.Dim) and d == 0 and not allowzero:
            if i >= len(shape):
                raise ctx.error("shape entry %d is 0 but the input has rank "
                                "%d" % (i, len(shape)))
            out.append(shape[i])
        else:
            out.append(d)
    rest = [i for i, d in enumerate(out) if not isinstance(d, ir.Dim) and
            d == -1]
    if len(rest) > 1:
        raise ctx.error("the shape has more than one -1")
    total = ir.dims_product(shape)
    if rest:
        known = ir.dims_product([d for i, d in enumerate(out)
                                 if i != rest[0]])
        out[rest[0]] = size_quotient(ctx, total, known, shape, target)
    if ir.dims_product(out) != total:
        raise ctx.error("cannot reshape %s to %s" % (list(shape), target))
    return tuple(out)


def size_quotient(ctx, total, known, shape, target):
    """total / known for sizes that may be dynamic (the -1 of a
    Reshape)."""
    def fail():
        return ctx.error("cannot reshape %s to %s" % (list(shape), target))
    if isinstance(known, ir.Dim):
        if not isinstance(total, ir.Dim) or total.symbol != known.symbol or \
                total.factor % known.factor:
            raise fail()
        return total.factor // known.factor
    if known == 0 or total % known:
        raise fail()
    return total // known


def new_shape(ctx):
    op = ctx.node.op_type
    shape = ctx.shape(0)
    rank = len(shape)
    if op == "Reshape":
        if ctx.opset < 5:
            target = ctx.ints("shape")
        else:
            target = ctx.constant(1, "the shape")
        return reshape_target(ctx, shape, target, ctx.attr("allowzero", 0))
    if op == "Flatten":
        axis = ctx.attr("axis", 1)
        if not -rank <= axis <= rank:
            raise ctx.error("axis %d is out of range for rank %d" % (axis,
                                                                   rank))
        if axis < 0:
            axis += rank
        return (ir.dims_product(shape[:axis]), ir.dims_product(shape[axis:]))
    axes = ctx.ints("axes") if ctx.opset < 13 else (
        None if not ctx.has(1) else [int(a) for a in ctx.constant(1,
                                                                  "axes")])
    if op == "Squeeze":
        if axes is None:
            dim = next((d for d in shape if isinstance(d, ir.Dim)), None)
            if dim is not None:
                # Whether it is 1 is known only at run time.
                raise ir.DynamicDimError(dim, "a Squeeze without axes")
            return tuple(d for d in shape if d != 1)
        axes = [norm_axis(ctx, a, rank) for a in axes]
        for a in axes:
            if shape[a] != 1:
                raise ctx.error("cannot squeeze axis %d of size %d" % (
                    a, shape[a]))
        return tuple(d for i, d in enumerate(shape) if i not in axes)
    # Unsqueeze
    if axes is None:
        raise ctx.error("axes are missing")
    out_rank = rank + len(axes)
    axes = sorted(norm_axis(ctx, a, out_rank) for a in axes)
    out, it = [], iter(shape)
    for i in range(out_rank):
        out.append(1 if i in axes else next(it))
    return tuple(out)


@folder("Reshape", "Flatten", "Squeeze", "Unsqueeze")
def fold_reshape(ctx):
    return [ctx.input(0).reshape(new_shape(ctx))]


@converter("Reshape", "Flatten", "Squeeze", "Unsqueeze")
def convert_reshape(ctx):
    x = ctx.input(0)
    return [ctx.b.reshape(x, new_shape(ctx))]


# -- Transpose --------------------------------------------------------------

def perm_of(ctx):
    rank = len(ctx.shape(0))
    perm = ctx.ints("perm", list(reversed(range(rank))))
    if sorted(perm) != list(range(rank)):
        raise ctx.error("perm %s is not a permutation of %d axes" % (perm,
                                                                     rank))
    return perm


@folder("Transpose")
def fold_transpose(ctx):
    return [np.transpose(ctx.input(0), perm_of(ctx))]


@converter("Transpose")
def convert_transpose(ctx):
    return [ctx.b.transpose(ctx.input(0), perm_of(ctx))]


# -- Concat, Split ----------------------------------------------------------

@folder("Concat")
def fold_concat(ctx):
    values = [v for v in ctx.inputs() if v is not None]
    axis = norm_axis(ctx, ctx.attr("axis", 0), values[0].ndim)
    return [np.concatenate(values, axis)]


@converter("Concat")
def convert_concat(ctx):
    values = ctx.inputs()
    rank = len(values[0].shape)
    axis = norm_axis(ctx, ctx.attr("axis", 0), rank)
    dtype = next(v.dtype for v in values if isinstance(v, ir.Value))
    vals = [ctx.as_value(v, dtype) for v in values]
    for v in vals:
        if v.rank != rank or any(a != b for i, (a, b) in enumerate(
                zip(v.shape, vals[0].shape)) if i != axis):
            raise ctx.error("input shapes %s do not concatenate on axis %d"
                            % ([list(u.shape) for u in vals], axis))
    return [ctx.b.concat(vals, axis)]


def split_sizes(ctx):
    shape = ctx.shape(0)
    axis = norm_axis(ctx, ctx.attr("axis", 0), len(shape))
    parts = len(ctx.node.output)
    if ctx.opset < 13:
        sizes = ctx.ints("split")
    else:
        sizes = None if not ctx.has(1) else [int(s) for s in ctx.constant(
            1, "split")]
    if sizes is None:
        # Equal parts; from opset 18 the last may be smaller (not needed
        # here: opset <= 17 requires divisibility).
        if shape[axis] % parts:
            raise ctx.error("axis %d of size %d does not split into %d equal "
                            "parts" % (axis, shape[axis], parts))
        sizes = [shape[axis] // parts] * parts
    if sum(sizes) != shape[axis] or len(sizes) != parts:
        raise ctx.error("split sizes %s do not match axis %d of size %d with "
                        "%d outputs" % (sizes, axis, shape[axis], parts))
    return axis, sizes


@folder("Split")
def fold_split(ctx):
    axis, sizes = split_sizes(ctx)
    return np.split(ctx.input(0), np.cumsum(sizes)[:-1], axis)


@converter("Split")
def convert_split(ctx):
    x = ctx.input(0)
    axis, sizes = split_sizes(ctx)
    outs, offset = [], 0
    for s in sizes:
        offsets = [0] * x.rank
        offsets[axis] = offset
        size = list(x.shape)
        size[axis] = s
        outs.append(ctx.b.extract_slice(x, offsets, size))
        offset += s
    return outs


# -- Slice ------------------------------------------------------------------

def slice_params(ctx):
    """Per dimension (start, size, step) with positive steps."""
    shape = ctx.shape(0)
    rank = len(shape)
    if ctx.opset < 10:
        starts, ends = ctx.ints("starts"), ctx.ints("ends")
        axes = ctx.ints("axes", list(range(len(starts))))
        steps = [1] * len(starts)
    else:
        starts = [int(v) for v in ctx.constant(1, "starts")]
        ends = [int(v) for v in ctx.constant(2, "ends")]
        axes = list(range(len(starts))) if not ctx.has(3) else \
            [int(v) for v in ctx.constant(3, "axes")]
        steps = [1] * len(starts) if not ctx.has(4) else \
            [int(v) for v in ctx.constant(4, "steps")]
    params = [(0, d, 1) for d in shape]
    for start, end, axis, step in zip(starts, ends, axes, steps):
        axis = norm_axis(ctx, axis, rank)
        if step == 0:
            raise ctx.error("a slice step of 0")
        indices = range(shape[axis])[slice(start, end, step)]
        if step < 0 and len(indices) > 1:
            raise ctx.unsupported("a negative slice step")
        first = indices.start if len(indices) else 0
        params[axis] = (first, len(indices), abs(step) if len(indices) > 1
                        else 1)
    return params


@folder("Slice")
def fold_slice(ctx):
    x = ctx.input(0)
    params = slice_params(ctx)
    return [x[tuple(slice(o, o + s * st, st) if s else slice(0, 0)
                    for o, s, st in params)]]


@converter("Slice")
def convert_slice(ctx):
    x = ctx.input(0)
    params = slice_params(ctx)
    if any(s == 0 for _, s, _ in params):
        raise ctx.unsupported("an empty slice")
    return [ctx.b.extract_slice(x, [p[0] for p in params],
                                [p[1] for p in params],
                                [p[2] for p in params])]


# -- Gather -----------------------------------------------------------------

@folder("Gather")
def fold_gather(ctx):
    x, idx = ctx.input(0), ctx.input(1)
    axis = norm_axis(ctx, ctx.attr("axis", 0), x.ndim)
    return [np.take(x, idx.astype(np.int64) % x.shape[axis], axis=axis)]


@converter("Gather")
def convert_gather(ctx):
    x = ctx.input(0)
    axis = norm_axis(ctx, ctx.attr("axis", 0), len(x.shape))
    idx = ctx.input(1)
    if isinstance(idx, np.ndarray):
        # Constant indices: one slice per index, concatenated.
        flat = [int(i) % x.shape[axis] for i in idx.reshape(-1)]
        if isinstance(x, np.ndarray):
            return [np.take(x, flat, axis=axis).reshape(
                x.shape[:axis] + idx.shape + x.shape[axis + 1:])]
        parts = []
        for i in flat:
            offsets = [0] * x.rank
            offsets[axis] = i
            size = list(x.shape)
            size[axis] = 1
            parts.append(ctx.b.extract_slice(x, offsets, size))
        joined = ctx.b.concat(parts, axis) if parts else None
        if joined is None:
            raise ctx.unsupported("an empty Gather")
        return [ctx.b.reshape(joined, x.shape[:axis] + idx.shape +
                              x.shape[axis + 1:])]
    # Computed indices into a table (an embedding): a generic that reads the
    # table at each index.
    table = ctx.as_value(x, hint=ctx.node.input[0])
    if idx.dtype.kind not in "iu":
        raise ctx.error("indices must be integers, got %s" % idx.dtype)
    out_shape = table.shape[:axis] + idx.shape + table.shape[axis + 1:]
    n_out = len(out_shape)
    idx_dims = ["d%d" % (axis + i) for i in range(idx.rank)]
    idx_map = ir.affine_map(n_out, idx_dims)
    out_map = ir.affine_map(n_out, ["d%d" % i for i in range(n_out)])
    ity = ir.element_type(idx.dtype)
    size = table.shape[axis]

    def body(bd, args, out):
        i = bd.op("arith.index_cast %s : %s to index" % (args[0], ity))
        # Negative indices count from the end.
        zero = bd.op("arith.constant 0 : index")
        n = bd.op("arith.constant %d : index" % size)
        neg = bd.op("arith.cmpi slt, %s, %s : index" % (i, zero))
        wrapped = bd.op("arith.addi %s, %s : index" % (i, n))
        i = bd.op("arith.select %s, %s, %s : index" % (neg, wrapped, i))
        coords = []
        for d in range(table.rank):
            if d < axis:
                coords.append(bd.op("linalg.index %d : index" % d))
            elif d == axis:
                coords.append(i)
            else:
                coords.append(bd.op("linalg.index %d : index" % (
                    d - 1 + idx.rank)))
        return bd.op("tensor.extract %s[%s] : %s" % (
            table.name, ", ".join(coords), table.type))
    return [ctx.b.generic([idx], [idx_map, out_map], out_shape, table.dtype,
                          ["parallel"] * n_out, body)]


# -- Expand, Tile -------------------------------------------------------------

@folder("Expand")
def fold_expand(ctx):
    x, shape = ctx.input(0), ctx.input(1)
    out = np.broadcast_shapes(x.shape, tuple(int(d) for d in shape))
    return [np.broadcast_to(x, out).copy()]


@converter("Expand")
def convert_expand(ctx):
    x = ctx.input(0)
    shape = tuple(int(d) for d in ctx.constant(1, "the shape"))
    out = ir.broadcast_shape(x.shape, shape)
    if out == tuple(x.shape):
        return [x]
    return [ctx.b.elementwise([x], lambda bd, a, o: a[0], out_dtype=x.dtype,
                              out_shape=out)]


@folder("Tile")
def fold_tile(ctx):
    return [np.tile(ctx.input(0), [int(r) for r in ctx.input(1)])]


@converter("Tile")
def convert_tile(ctx):
    x = ctx.input(0)
    repeats = [int(r) for r in ctx.constant(1, "repeats")]
    for axis, r in enumerate(repeats):
        if r != 1:
            x = ctx.b.concat([x] * r, axis)
    return [x]


# -- Pad --------------------------------------------------------------------

def pad_params(ctx):
    rank = len(ctx.shape(0))
    if ctx.opset < 11:
        pads = ctx.ints("pads")
        value = ctx.attr("value", 0.0)
    else:
        pads = [int(p) for p in ctx.constant(1, "pads")]
        value = 0.0
        if ctx.has(2):
            value = float(ctx.constant(2, "constant_value").reshape(-1)[0])
    if len(pads) != 2 * rank:
        raise ctx.error("pads has %d entries for rank %d" % (len(pads),
                                                             rank))
    if min(pads, default=0) < 0:
        raise ctx.unsupported("negative pads")
    mode = ctx.attr_str("mode", "constant")
    return pads[:rank], pads[rank:], value, mode


@folder("Pad")
def fold_pad(ctx):
    low, high, value, mode = pad_params(ctx)
    x = ctx.input(0)
    np_mode = {"constant": "constant", "reflect": "reflect",
               "edge": "edge"}[mode]
    kwargs = {"constant_values": value} if mode == "constant" else {}
    return [np.pad(x, list(zip(low, high)), np_mode, **kwargs)]


def edge_pad(ctx, x, axis, lo, hi, mode):
    """Reflect or edge padding of one axis by slices of width 1."""
    b = ctx.b
    n = x.shape[axis]

    def at(i):
        offsets = [0] * x.rank
        offsets[axis] = i
        size = list(x.shape)
        size[axis] = 1
        return b.extract_slice(x, offsets, size)
    if mode == "reflect" and (lo >= n or hi >= n):
        raise ctx.error("reflect pads (%d, %d) exceed axis %d of size %d - 1"
                        % (lo, hi, axis, n))
    before = [at(lo - j if mode == "reflect" else 0) for j in range(lo)]
    after = [at(n - 2 - j if mode == "reflect" else n - 1)
             for j in range(hi)]
    return b.concat(before + [x] + after, axis)


@converter("Pad")
def convert_pad(ctx):
    low, high, value, mode = pad_params(ctx)
    x = ctx.input(0)
    if mode == "constant":
        return [ctx.b.pad(x, low, high, value)]
    if mode not in ("reflect", "edge"):
        raise ctx.unsupported("mode '%s'" % mode)
    for axis in range(x.rank):
        if low[axis] or high[axis]:
            x = edge_pad(ctx, x, axis, low[axis], high[axis], mode)
    return [x]


# -- DepthToSpace, SpaceToDepth -------------------------------------------------

def depth_to_space_perm(ctx, shape):
    n, c, h, w = shape
    bs = ctx.attr("blocksize")
    if ctx.node.op_type == "DepthToSpace":
        mode = ctx.attr_str("mode", "DCR")
        if c % (bs * bs):
            raise ctx.error("channels %d do not divide by blocksize^2" % c)
        if mode == "DCR":
            return ((n, bs, bs, c // (bs * bs), h, w), (0, 3, 4, 1, 5, 2),
                    (n, c // (bs * bs), h * bs, w * bs))
        return ((n, c // (bs * bs), bs, bs, h, w), (0, 1, 4, 2, 5, 3),
                (n, c // (bs * bs), h * bs, w * bs))
    if h % bs or w % bs:
        raise ctx.error("spatial sizes %dx%d do not divide by blocksize %d" %
                        (h, w, bs))
    return ((n, c, h // bs, bs, w // bs, bs), (0, 3, 5, 1, 2, 4),
            (n, c * bs * bs, h // bs, w // bs))


@folder("DepthToSpace", "SpaceToDepth")
def fold_depth_to_space(ctx):
    x = ctx.input(0)
    pre, perm, post = depth_to_space_perm(ctx, x.shape)
    return [np.transpose(x.reshape(pre), perm).reshape(post)]


@converter("DepthToSpace", "SpaceToDepth")
def convert_depth_to_space(ctx):
    x = ctx.input(0)
    if x.rank != 4:
        raise ctx.error("expects a 4-D input")
    pre, perm, post = depth_to_space_perm(ctx, x.shape)
    y = ctx.b.transpose(ctx.b.reshape(x, pre), perm)
    return [ctx.b.reshape(y, post)]
