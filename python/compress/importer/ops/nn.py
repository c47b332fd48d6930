"""Neural-network layers: convolutions, matrix products, pooling,
normalizations, softmax, reductions, LRN and resizing.

Convolutions stay NCHW (linalg.conv_2d_nchw_fchw, depthwise_conv_2d_nchw_chw,
grouped conv_2d_ngchw_gfchw) with their constant weights, and matrix
products become linalg.matmul with a K x N constant weight wherever the
model allows (Gemm's transposes and alpha folded into the constant), so
that the compression passes find the layers they compress."""

import math

import numpy as np

from ..graph import converter, folder
from .. import ir

F32 = np.float32


def f32(a, shape=None):
    """The numpy array `a` as float32, reshaped to `shape`; a splat stays a
    zero-stride view (no memory for the constant-filled weights of large
    models)."""
    shape = a.shape if shape is None else tuple(shape)
    if ir.is_splat(a):
        return np.broadcast_to(np.float32(a[(0,) * a.ndim]), shape)
    return a.astype(F32, copy=False).reshape(shape)


def i64_array(values):
    return "dense<[%s]> : tensor<%dxi64>" % (", ".join(str(int(v))
                                                      for v in values),
                                             len(values))


# -- window geometry ----------------------------------------------------------

def window_params(ctx, spatial, kernel):
    """(strides, dilations, pads_begin, pads_end) of a conv or pool over
    `spatial` input sizes with `kernel` sizes, auto_pad resolved."""
    n = len(spatial)
    strides = ctx.ints("strides", [1] * n)
    dilations = ctx.ints("dilations", [1] * n)
    pads = ctx.ints("pads", [0] * (2 * n))
    if len(strides) != n or len(dilations) != n or len(pads) != 2 * n:
        raise ctx.error("strides, dilations or pads do not match %d spatial "
                        "dimensions" % n)
    if min(strides) < 1 or min(dilations) < 1 or min(pads) < 0:
        raise ctx.error("strides and dilations must be positive and pads "
                        "non-negative")
    auto_pad = ctx.attr_str("auto_pad", "NOTSET")
    begin, end = pads[:n], pads[n:]
    if auto_pad in ("SAME_UPPER", "SAME_LOWER"):
        begin, end = [], []
        for size, k, s, d in zip(spatial, kernel, strides, dilations):
            out = -(-size // s)
            total = max((out - 1) * s + (k - 1) * d + 1 - size, 0)
            small = total // 2
            if auto_pad == "SAME_UPPER":
                begin.append(small)
                end.append(total - small)
            else:
                begin.append(total - small)
                end.append(small)
    elif auto_pad == "VALID":
        begin, end = [0] * n, [0] * n
    elif auto_pad != "NOTSET":
        raise ctx.unsupported("auto_pad '%s'" % auto_pad)
    return strides, dilations, begin, end


def out_size(size, k, s, d, pb, pe, ceil_mode=False):
    extent = (k - 1) * d + 1
    span = size + pb + pe - extent
    if span < 0:
        return 0
    out = (-(-span // s) if ceil_mode else span // s) + 1
    if ceil_mode and (out - 1) * s >= size + pb:
        out -= 1  # the last window must start inside the input or its pad
    return out


def to_2d(ctx, x, what="input"):
    """A 1-D (N, C, L) input as (N, C, 1, L); 2-D as is; other ranks are
    errors."""
    if x.rank == 3:
        return ctx.b.reshape(x, (x.shape[0], x.shape[1], 1, x.shape[2])), True
    if x.rank == 4:
        return x, False
    raise ctx.unsupported("a %d-D %s (only 1-D and 2-D are)" % (x.rank - 2,
                                                                what))


def lift_1d(params, was_1d, fill):
    return ([fill] + list(params)) if was_1d else list(params)


# -- Conv -----------------------------------------------------------------------

def conv2d(ctx, x, w, strides, dilations, pb, pe, group):
    """The NCHW convolution of Value x by weight w (numpy F x C/g x kh x kw,
    or a Value), zero padding pb/pe; returns the Value."""
    b = ctx.b
    n, c, h, wd = x.shape
    f, cg, kh, kw = w.shape
    if c != cg * group or f % group:
        raise ctx.error("weight %s does not match %d input channels in %d "
                        "groups" % (list(w.shape), c, group))
    oh = out_size(h, kh, strides[0], dilations[0], pb[0], pe[0])
    ow = out_size(wd, kw, strides[1], dilations[1], pb[1], pe[1])
    if oh <= 0 or ow <= 0:
        raise ctx.error("the kernel is larger than the padded input")
    xp = b.pad(x, [0, 0, pb[0], pb[1]], [0, 0, pe[0], pe[1]])
    attrs = "{dilations = %s, strides = %s}" % (i64_array(dilations),
                                                 i64_array(strides))
    hint = ctx.node.input[1]
    if group == 1:
        wv = ctx.as_value(w, F32, hint=hint)
        init = b.fill(0.0, (n, f, oh, ow))
        return b.named("conv_2d_nchw_fchw " + attrs, [xp, wv], init)
    if group == c and f == c:
        wv = ctx.as_value(f32(w, (c, kh, kw)) if isinstance(w, np.ndarray)
                          else b.reshape(w, (c, kh, kw)), F32, hint=hint)
        init = b.fill(0.0, (n, c, oh, ow))
        return b.named("depthwise_conv_2d_nchw_chw " + attrs, [xp, wv], init)
    # Grouped: (N, G, C/G, H, W) * (G, F/G, C/G, kh, kw).
    g = group
    xg = b.reshape(xp, (n, g, c // g) + xp.shape[2:])
    wg = f32(w, (g, f // g, cg, kh, kw)) if isinstance(w, np.ndarray) \
        else b.reshape(w, (g, f // g, cg, kh, kw))
    wv = ctx.as_value(wg, F32, hint=hint)
    init = b.fill(0.0, (n, g, f // g, oh, ow))
    y = b.named("conv_2d_ngchw_gfchw " + attrs, [xg, wv], init)
    return b.reshape(y, (n, f, oh, ow))


def add_channel_bias(ctx, y, bias):
    """y + bias[c] along axis 1."""
    if bias is None:
        return y
    if isinstance(bias, np.ndarray):
        bias = f32(bias, (bias.size,) + (1,) * (y.rank - 2))
        bv = ctx.b.constant(bias, ctx.node.input[2])
    else:
        bv = ctx.b.reshape(bias, (bias.shape[0],) + (1,) * (y.rank - 2))
    return ctx.b.elementwise([y, bv], lambda bd, a, o: bd.binary(
        "arith.addf", a[0], a[1]), out_shape=y.shape)


@converter("Conv")
def convert_conv(ctx):
    x = ctx.float_value(0)
    w = ctx.input(1)
    if x.rank not in (3, 4):
        raise ctx.unsupported("a %d-D convolution (only 1-D and 2-D are)"
                              % (x.rank - 2))
    if len(w.shape) != x.rank:
        raise ctx.error("weight rank %d does not match input rank %d" % (
            len(w.shape), x.rank))
    kernel = ctx.ints("kernel_shape", list(w.shape[2:]))
    if list(kernel) != list(w.shape[2:]):
        raise ctx.error("kernel_shape %s does not match the weight %s" % (
            kernel, list(w.shape)))
    strides, dilations, pb, pe = window_params(ctx, x.shape[2:], kernel)
    group = ctx.attr("group", 1)
    x2, was_1d = to_2d(ctx, x)
    if was_1d:
        w = f32(w, (w.shape[0], w.shape[1], 1, w.shape[2])) if isinstance(
            w, np.ndarray) else ctx.b.reshape(w, (w.shape[0], w.shape[1], 1,
                                                  w.shape[2]))
    elif isinstance(w, np.ndarray):
        w = f32(w)
    y = conv2d(ctx, x2, w, lift_1d(strides, was_1d, 1),
               lift_1d(dilations, was_1d, 1), lift_1d(pb, was_1d, 0),
               lift_1d(pe, was_1d, 0), group)
    if was_1d:
        y = ctx.b.reshape(y, (y.shape[0], y.shape[1], y.shape[3]))
    return [add_channel_bias(ctx, y, ctx.input(2))]


@converter("ConvTranspose")
def convert_conv_transpose(ctx):
    x = ctx.float_value(0)
    w = ctx.constant(1, "the weight")
    if x.rank not in (3, 4):
        raise ctx.unsupported("a %d-D transposed convolution" % (x.rank - 2))
    group = ctx.attr("group", 1)
    spatial = x.shape[2:]
    nsp = len(spatial)
    kernel = list(w.shape[2:])
    strides = ctx.ints("strides", [1] * nsp)
    dilations = ctx.ints("dilations", [1] * nsp)
    out_pad = ctx.ints("output_padding", [0] * nsp)
    pads = ctx.ints("pads", [0] * (2 * nsp))
    auto_pad = ctx.attr_str("auto_pad", "NOTSET")
    output_shape = ctx.ints("output_shape", None)
    full = [s * (i - 1) + op + (k - 1) * d + 1 for i, k, s, d, op in
            zip(spatial, kernel, strides, dilations, out_pad)]
    if output_shape is not None:
        output_shape = output_shape[-nsp:]
        total = [f - o for f, o in zip(full, output_shape)]
        if min(total) < 0:
            raise ctx.unsupported("output_shape larger than the full output")
        if auto_pad == "SAME_UPPER":
            pb = [t // 2 for t in total]
        else:
            pb = [t - t // 2 for t in total]
        pe = [t - p for t, p in zip(total, pb)]
    elif auto_pad in ("SAME_UPPER", "SAME_LOWER"):
        target = [i * s for i, s in zip(spatial, strides)]
        total = [f - t for f, t in zip(full, target)]
        pb = [t // 2 if auto_pad == "SAME_UPPER" else t - t // 2
              for t in total]
        pe = [t - p for t, p in zip(total, pb)]
    else:
        pb, pe = pads[:nsp], pads[nsp:]
    b = ctx.b
    c = x.shape[1]
    if w.shape[0] != c or c % group:
        raise ctx.error("weight %s does not match %d input channels in %d "
                        "groups" % (list(w.shape), c, group))
    fg = w.shape[1]
    f = fg * group
    # The equivalent convolution: per group, the kernel transposed (C/g <->
    # F/g) and flipped, over the input dilated by the strides and padded
    # by (k - 1) d on both sides (plus output_padding at the end).
    if ir.is_splat(w):
        wt = f32(w, (f, c // group) + tuple(kernel))
    else:
        wt = w.astype(F32).reshape((group, c // group, fg) + tuple(kernel))
        wt = np.swapaxes(wt, 1, 2)
        wt = wt[(slice(None),) * 3 + (slice(None, None, -1),) * nsp]
        wt = np.ascontiguousarray(wt.reshape((f, c // group) +
                                             tuple(kernel)))
    x2, was_1d = to_2d(ctx, x)
    if was_1d:
        wt = f32(wt, (f, c // group, 1, kernel[0]))
    sp = lift_1d(spatial, was_1d, 1)
    st = lift_1d(strides, was_1d, 1)
    dl = lift_1d(dilations, was_1d, 1)
    kr = lift_1d(kernel, was_1d, 1)
    op_ = lift_1d(out_pad, was_1d, 0)
    dilated = [(i - 1) * s + 1 for i, s in zip(sp, st)]
    if dilated != list(sp):
        zeros = b.fill(0.0, x2.shape[:2] + tuple(dilated))
        x2 = b.insert_slice(x2, zeros, [0, 0, 0, 0], [1, 1] + st)
    edge = [(k - 1) * d for k, d in zip(kr, dl)]
    y = conv2d(ctx, x2, wt, [1, 1], dl, edge, [e + o for e, o in
                                                 zip(edge, op_)], group)
    pbl, pel = lift_1d(pb, was_1d, 0), lift_1d(pe, was_1d, 0)
    sizes = [fl - p - q for fl, p, q in zip(
        [y.shape[2], y.shape[3]], pbl, pel)]
    if min(sizes) <= 0:
        raise ctx.error("the pads leave no output")
    y = b.extract_slice(y, [0, 0] + pbl, list(y.shape[:2]) + sizes)
    if was_1d:
        y = b.reshape(y, (y.shape[0], y.shape[1], y.shape[3]))
    return [add_channel_bias(ctx, y, ctx.input(2))]


# -- Gemm, MatMul ----------------------------------------------------------------

def matmul2d(ctx, a, bm, hint=None):
    """a (M x K Value) times bm (K x N numpy or Value) with linalg.matmul."""
    b = ctx.b
    m, k = a.shape
    if bm.shape[0] != k:
        raise ctx.error("inner dimensions %d and %d differ" % (k,
                                                               bm.shape[0]))
    bv = ctx.as_value(f32(bm) if isinstance(bm, np.ndarray) else bm,
                      F32, hint=hint)
    init = b.fill(0.0, (m, bv.shape[1]))
    return b.named("matmul", [a, bv], init)


@converter("Gemm")
def convert_gemm(ctx):
    a, bm, c = ctx.input(0), ctx.input(1), ctx.input(2)
    alpha, beta = ctx.attr("alpha", 1.0), ctx.attr("beta", 1.0)
    trans_a, trans_b = ctx.attr("transA", 0), ctx.attr("transB", 0)
    if len(a.shape) != 2 or len(bm.shape) != 2:
        raise ctx.error("A and B must be 2-D")
    b = ctx.b
    if isinstance(a, np.ndarray):
        a = a.T if trans_a else a
        av = b.constant(np.ascontiguousarray(a.astype(F32)))
    else:
        av = b.transpose(a, [1, 0]) if trans_a else a
    if isinstance(bm, np.ndarray):
        bm = f32(bm.T if trans_b else bm)
        if alpha != 1.0:
            bm = f32(bm * F32(alpha))
        y = matmul2d(ctx, av, bm, ctx.node.input[1])
    else:
        bv = b.transpose(bm, [1, 0]) if trans_b else bm
        y = matmul2d(ctx, av, bv)
        if alpha != 1.0:
            y = b.elementwise([y], lambda bd, x, o: bd.binary(
                "arith.mulf", x[0], bd.const(alpha)))
    if c is not None and beta != 0.0:
        if isinstance(c, np.ndarray):
            cv = b.constant(f32(c) if beta == 1.0 else f32(c * F32(beta)),
                            ctx.node.input[2])
        else:
            cv = c
            if beta != 1.0:
                cv = b.elementwise([c], lambda bd, x, o: bd.binary(
                    "arith.mulf", x[0], bd.const(beta)))
        y = b.elementwise([y, cv], lambda bd, x, o: bd.binary(
            "arith.addf", x[0], x[1]), out_shape=y.shape)
    return [y]


@folder("MatMul")
def fold_matmul(ctx):
    return [np.matmul(ctx.input(0), ctx.input(1))]


@converter("MatMul")
def convert_matmul(ctx):
    a, bm = ctx.input(0), ctx.input(1)
    b = ctx.b
    a_shape, b_shape = tuple(a.shape), tuple(bm.shape)
    if len(a_shape) == 0 or len(b_shape) == 0:
        raise ctx.error("MatMul of a scalar")
    squeeze_m = len(a_shape) == 1
    squeeze_n = len(b_shape) == 1
    if squeeze_m:
        a = a.reshape(1, -1) if isinstance(a, np.ndarray) else b.reshape(
            a, (1,) + a_shape)
    if squeeze_n:
        bm = bm.reshape(-1, 1) if isinstance(bm, np.ndarray) else b.reshape(
            bm, b_shape + (1,))
    a_shape, b_shape = tuple(a.shape), tuple(bm.shape)
    m, k = a_shape[-2:]
    k2, n = b_shape[-2:]
    if k != k2:
        raise ctx.error("inner dimensions %d and %d differ" % (k, k2))
    batch = ir.broadcast_shape(a_shape[:-2], b_shape[:-2])
    out_shape = batch + (m, n)
    av = ctx.as_value(a, F32, hint=ctx.node.input[0]) if isinstance(
        a, np.ndarray) else a
    if av.dtype != F32:
        raise ctx.error("only float32 MatMul is computed (MatMulInteger "
                        "takes integers)")
    if ir.dims_product(b_shape[:-2]) == 1:
        # One weight for every row: (batch x M) x K times K x N.
        w = f32(bm, (k, n)) if isinstance(bm, np.ndarray) else b.reshape(
            bm, (k, n))
        rows = ir.dims_product(batch + (m,))
        if av.shape[:-2] != batch:
            av = b.elementwise([av], lambda bd, x, o: x[0],
                               out_shape=batch + (m, k))
        y = matmul2d(ctx, b.reshape(av, (rows, k)), w, ctx.node.input[1])
        y = b.reshape(y, out_shape)
    else:
        bt = ir.dims_product(batch)

        def expanded(v, shape, hint):
            if isinstance(v, np.ndarray):
                return b.constant(np.ascontiguousarray(np.broadcast_to(
                    v.astype(F32), shape)).reshape((bt,) + shape[-2:]), hint)
            if v.shape != shape:
                v = b.elementwise([v], lambda bd, x, o: x[0],
                                  out_shape=shape)
            return b.reshape(v, (bt,) + shape[-2:])
        a3 = expanded(av, batch + (m, k), ctx.node.input[0])
        b3 = expanded(bm, batch + (k, n), ctx.node.input[1])
        init = b.fill(0.0, (bt, m, n))
        y = b.reshape(b.named("batch_matmul", [a3, b3], init), out_shape)
    if squeeze_m or squeeze_n:
        shape = list(out_shape)
        if squeeze_n:
            shape.pop(-1)
        if squeeze_m:
            shape.pop(-1 if squeeze_n else -2)
        y = b.reshape(y, tuple(shape))
    return [y]


# -- pooling ---------------------------------------------------------------------

def pool_geometry(ctx, x):
    kernel = ctx.ints("kernel_shape")
    if kernel is None or len(kernel) != x.rank - 2:
        raise ctx.error("kernel_shape must give %d sizes" % (x.rank - 2))
    strides, dilations, pb, pe = window_params(ctx, x.shape[2:], kernel)
    ceil_mode = bool(ctx.attr("ceil_mode", 0))
    outs = [out_size(s, k, st, d, b_, e, ceil_mode) for s, k, st, d, b_, e in
            zip(x.shape[2:], kernel, strides, dilations, pb, pe)]
    if min(outs) <= 0:
        raise ctx.error("the window is larger than the padded input")
    # Extra padding at the end so that ceil_mode's last windows fit.
    extra = [max((o - 1) * st + (k - 1) * d + 1 - (s + b_ + e), 0) for
             o, st, k, d, s, b_, e in zip(outs, strides, kernel, dilations,
                                          x.shape[2:], pb, pe)]
    return kernel, strides, dilations, pb, pe, extra, outs


def pool2d(ctx, x, kind, pad_value, init_value):
    b = ctx.b
    x2, was_1d = to_2d(ctx, x)
    kernel, strides, dilations, pb, pe, extra, outs = pool_geometry(ctx, x)
    kernel, strides, dilations, pb, pe, extra, outs = (
        lift_1d(v, was_1d, f) for v, f in ((kernel, 1), (strides, 1),
                                           (dilations, 1), (pb, 0), (pe, 0),
                                           (extra, 0), (outs, 1)))
    xp = b.pad(x2, [0, 0] + pb, [0, 0] + [e + x_ for e, x_ in
                                          zip(pe, extra)], pad_value)
    window = b.empty(tuple(kernel), F32)
    init = b.fill(init_value, x2.shape[:2] + tuple(outs))
    attrs = "{dilations = %s, strides = %s}" % (i64_array(dilations),
                                                 i64_array(strides))
    y = b.named("pooling_nchw_%s %s" % (kind, attrs), [xp, window], init)
    return y, was_1d, (kernel, strides, dilations, pb, pe, outs, x2.shape)


@converter("MaxPool")
def convert_max_pool(ctx):
    x = ctx.float_value(0)
    if len(ctx.node.output) > 1 and ctx.node.output[1]:
        raise ctx.unsupported("the Indices output of MaxPool")
    if x.rank not in (3, 4):
        raise ctx.unsupported("%d-D pooling" % (x.rank - 2))
    y, was_1d, _ = pool2d(ctx, x, "max", -np.inf, -np.inf)
    if was_1d:
        y = ctx.b.reshape(y, (y.shape[0], y.shape[1], y.shape[3]))
    return [y]


def average_counts(kernel, strides, dilations, pb, pe, outs, shape,
                   include_pad):
    """The number of elements each window averages, per output position."""
    counts = []
    for axis in range(2):
        size = shape[2 + axis]
        lo, hi = (-pb[axis], size + pe[axis]) if include_pad else (0, size)
        c = []
        for o in range(outs[axis]):
            start = o * strides[axis] - pb[axis]
            taps = [start + t * dilations[axis] for t in range(kernel[axis])]
            c.append(sum(lo <= t < hi for t in taps))
        counts.append(np.array(c, np.float32))
    return np.outer(counts[0], counts[1]).astype(np.float32)


@converter("AveragePool")
def convert_average_pool(ctx):
    x = ctx.float_value(0)
    if x.rank not in (3, 4):
        raise ctx.unsupported("%d-D pooling" % (x.rank - 2))
    y, was_1d, geom = pool2d(ctx, x, "sum", 0.0, 0.0)
    include_pad = bool(ctx.attr("count_include_pad", 0))
    counts = average_counts(*geom, include_pad)
    if counts.min() <= 0:
        raise ctx.error("a window covers no input element")
    cv = ctx.b.constant(counts.reshape((1, 1) + counts.shape))
    y = ctx.b.elementwise([y, cv], lambda bd, a, o: bd.binary(
        "arith.divf", a[0], a[1]), out_shape=y.shape)
    if was_1d:
        y = ctx.b.reshape(y, (y.shape[0], y.shape[1], y.shape[3]))
    return [y]


@converter("GlobalAveragePool", "GlobalMaxPool")
def convert_global_pool(ctx):
    x = ctx.float_value(0)
    axes = list(range(2, x.rank))
    if ctx.node.op_type == "GlobalMaxPool":
        return [ctx.b.reduce(x, axes, -np.inf, lambda bd, e, acc: bd.binary(
            "arith.maximumf", e, acc))]
    s = ctx.b.reduce(x, axes, 0.0, lambda bd, e, acc: bd.binary(
        "arith.addf", e, acc))
    count = float(np.prod(x.shape[2:]))
    return [ctx.b.elementwise([s], lambda bd, a, o: bd.binary(
        "arith.divf", a[0], bd.const(count)))]


# -- normalizations -----------------------------------------------------------------

@converter("BatchNormalization")
def convert_batch_norm(ctx):
    x = ctx.float_value(0)
    if ctx.attr("training_mode", 0) or len([o for o in ctx.node.output
                                            if o]) > 1:
        raise ctx.unsupported("training mode (running statistics outputs)")
    params = [ctx.constant(i, name) for i, name in
              ((1, "scale"), (2, "B"), (3, "input_mean"), (4, "input_var"))]
    if any(p is None for p in params):
        raise ctx.error("scale, B, mean and var are required")
    scale, bias, mean, var = (p.astype(np.float64) for p in params)
    eps = ctx.attr("epsilon", 1e-5)
    a = scale / np.sqrt(var + eps)
    shift = bias - mean * a
    shape = (-1,) + (1,) * (x.rank - 2)
    av = ctx.b.constant(a.astype(F32).reshape(shape), "bn_scale")
    bv = ctx.b.constant(shift.astype(F32).reshape(shape), "bn_shift")

    def body(bd, args, out):
        return bd.binary("arith.addf", bd.binary("arith.mulf", args[0],
                                                 args[1]), args[2])
    return [ctx.b.elementwise([x, av, bv], body, out_shape=x.shape)]


def normalize(ctx, x, axes, eps):
    """(x - mean) / sqrt(var + eps) over `axes` (kept)."""
    b = ctx.b
    count = float(np.prod([x.shape[a] for a in axes]))
    add = lambda bd, e, acc: bd.binary("arith.addf", e, acc)  # noqa: E731
    total = b.reduce(x, axes, 0.0, add)
    centered = b.elementwise([x, total], lambda bd, a, o: bd.binary(
        "arith.subf", a[0], bd.binary("arith.divf", a[1], bd.const(count))),
        out_shape=x.shape)
    squares = b.reduce(centered, axes, 0.0, lambda bd, e, acc: bd.binary(
        "arith.addf", bd.binary("arith.mulf", e, e), acc))

    def body(bd, a, o):
        var = bd.binary("arith.divf", a[1], bd.const(count))
        inv = bd.unary("math.rsqrt", bd.binary("arith.addf", var,
                                                bd.const(eps)))
        return bd.binary("arith.mulf", a[0], inv)
    return b.elementwise([centered, squares], body, out_shape=x.shape)


def affine(ctx, y, scale, bias, shape):
    b = ctx.b
    inputs = [y]
    if scale is not None:
        inputs.append(ctx.as_value(scale.astype(F32).reshape(shape) if
                                   isinstance(scale, np.ndarray) else
                                   b.reshape(scale, shape), hint="scale"))
    if bias is not None:
        inputs.append(ctx.as_value(bias.astype(F32).reshape(shape) if
                                   isinstance(bias, np.ndarray) else
                                   b.reshape(bias, shape), hint="bias"))
    if len(inputs) == 1:
        return y
    has_scale = scale is not None

    def body(bd, a, o):
        v = a[0]
        i = 1
        if has_scale:
            v = bd.binary("arith.mulf", v, a[i])
            i += 1
        if i < len(a):
            v = bd.binary("arith.addf", v, a[i])
        return v
    return b.elementwise(inputs, body, out_shape=y.shape)


@converter("LayerNormalization")
def convert_layer_norm(ctx):
    x = ctx.float_value(0)
    if len([o for o in ctx.node.output if o]) > 1:
        raise ctx.unsupported("the Mean and InvStdDev outputs")
    axis = ctx.attr("axis", -1)
    if not -x.rank <= axis < x.rank:
        raise ctx.error("axis %d is out of range for rank %d" % (axis,
                                                               x.rank))
    axis %= x.rank
    axes = list(range(axis, x.rank))
    y = normalize(ctx, x, axes, ctx.attr("epsilon", 1e-5))
    shape = x.shape[axis:]
    return [affine(ctx, y, ctx.input(1), ctx.input(2), shape)]


@converter("InstanceNormalization")
def convert_instance_norm(ctx):
    x = ctx.float_value(0)
    y = normalize(ctx, x, list(range(2, x.rank)), ctx.attr("epsilon", 1e-5))
    shape = (-1,) + (1,) * (x.rank - 2)
    return [affine(ctx, y, ctx.input(1), ctx.input(2), shape)]


@converter("LRN")
def convert_lrn(ctx):
    x = ctx.float_value(0)
    size = ctx.attr("size")
    alpha, beta = ctx.attr("alpha", 1e-4), ctx.attr("beta", 0.75)
    bias = ctx.attr("bias", 1.0)
    b = ctx.b
    sq = b.elementwise([x], lambda bd, a, o: bd.binary("arith.mulf", a[0],
                                                        a[0]))
    lo, hi = (size - 1) // 2, size - 1 - (size - 1) // 2
    padded = b.pad(sq, [0, lo] + [0] * (x.rank - 2),
                   [0, hi] + [0] * (x.rank - 2))
    # s[n, c, ...] = sum_j padded[n, c + j, ...], j < size.
    r = x.rank
    dims = ["d%d" % i for i in range(r)]
    in_map = ir.affine_map(r + 1, [dims[0], "d1 + d%d" % r] + dims[2:])
    out_map = ir.affine_map(r + 1, dims)
    window = b.empty((size,), F32)
    win_map = ir.affine_map(r + 1, ["d%d" % r])
    init = b.fill(0.0, x.shape)
    s = b.generic([padded, window], [in_map, win_map, out_map], x.shape, F32,
                  ["parallel"] * r + ["reduction"],
                  lambda bd, a, o: bd.binary("arith.addf", a[0], o),
                  init=init)

    def body(bd, a, o):
        d = bd.binary("arith.addf", bd.const(bias), bd.binary(
            "arith.mulf", a[1], bd.const(alpha / size)))
        return bd.binary("arith.divf", a[0], bd.binary("math.powf", d,
                                                        bd.const(beta)))
    return [b.elementwise([x, s], body)]


# -- softmax and reductions -----------------------------------------------------------

def softmax_along(ctx, x, axis, log):
    b = ctx.b
    m = b.reduce(x, [axis], -np.inf, lambda bd, e, acc: bd.binary(
        "arith.maximumf", e, acc))
    shifted = b.elementwise([x, m], lambda bd, a, o: bd.binary(
        "arith.subf", a[0], a[1]), out_shape=x.shape)
    e = b.elementwise([shifted], lambda bd, a, o: bd.unary("math.exp", a[0]))
    s = b.reduce(e, [axis], 0.0, lambda bd, v, acc: bd.binary(
        "arith.addf", v, acc))
    if log:
        return b.elementwise([shifted, s], lambda bd, a, o: bd.binary(
            "arith.subf", a[0], bd.unary("math.log", a[1])),
            out_shape=x.shape)
    return b.elementwise([e, s], lambda bd, a, o: bd.binary(
        "arith.divf", a[0], a[1]), out_shape=x.shape)


@converter("Softmax", "LogSoftmax")
def convert_softmax(ctx):
    x = ctx.float_value(0)
    log = ctx.node.op_type == "LogSoftmax"
    if ctx.opset >= 13:
        axis = ctx.attr("axis", -1)
        if not -x.rank <= axis < x.rank:
            raise ctx.error("axis %d is out of range for rank %d" % (axis,
                                                                   x.rank))
        return [softmax_along(ctx, x, axis % x.rank, log)]
    # Before opset 13: the input is coerced to 2-D at `axis`.
    axis = ctx.attr("axis", 1)
    if not -x.rank <= axis <= x.rank:
        raise ctx.error("axis %d is out of range for rank %d" % (axis,
                                                               x.rank))
    axis = axis + x.rank if axis < 0 else axis
    flat = ctx.b.reshape(x, (ir.dims_product(x.shape[:axis]),
                             ir.dims_product(x.shape[axis:])))
    return [ctx.b.reshape(softmax_along(ctx, flat, 1, log), x.shape)]


REDUCE = {
    "ReduceSum": (0.0, "arith.addf", None, None),
    "ReduceMean": (0.0, "arith.addf", None, "mean"),
    "ReduceMax": (-np.inf, "arith.maximumf", None, None),
    "ReduceMin": (np.inf, "arith.minimumf", None, None),
    "ReduceProd": (1.0, "arith.mulf", None, None),
    "ReduceSumSquare": (0.0, "arith.addf", "square", None),
    "ReduceL2": (0.0, "arith.addf", "square", "sqrt"),
    "ReduceL1": (0.0, "arith.addf", "abs", None),
}


def reduce_axes(ctx, rank):
    if ctx.node.op_type == "ReduceSum" and ctx.opset >= 13:
        axes = None if not ctx.has(1) else [int(a) for a in ctx.constant(
            1, "axes")]
    else:
        axes = ctx.ints("axes", None)
    if not axes:
        if ctx.attr("noop_with_empty_axes", 0):
            return []
        axes = list(range(rank))
    for a in axes:
        if not -rank <= a < rank:
            raise ctx.error("axis %d is out of range for rank %d" % (a, rank))
    return sorted(set(a % rank for a in axes))


@folder(*REDUCE)
def fold_reduce(ctx):
    x = ctx.input(0)
    axes = tuple(reduce_axes(ctx, x.ndim))
    keep = bool(ctx.attr("keepdims", 1))
    op = ctx.node.op_type
    fn = {"ReduceSum": np.sum, "ReduceMean": np.mean, "ReduceMax": np.max,
          "ReduceMin": np.min, "ReduceProd": np.prod}.get(op)
    if fn is None:
        if op == "ReduceSumSquare":
            return [np.sum(x * x, axis=axes, keepdims=keep)]
        if op == "ReduceL2":
            return [np.sqrt(np.sum(x * x, axis=axes, keepdims=keep))]
        return [np.sum(np.abs(x), axis=axes, keepdims=keep)]
    return [np.asarray(fn(x, axis=axes, keepdims=keep)).astype(x.dtype)]


@converter(*REDUCE)
def convert_reduce(ctx):
    x = ctx.float_value(0)
    axes = reduce_axes(ctx, x.rank)
    keep = bool(ctx.attr("keepdims", 1))
    if not axes:
        return [x]
    init, combine, pre, post = REDUCE[ctx.node.op_type]

    def fn(bd, e, acc):
        if pre == "square":
            e = bd.binary("arith.mulf", e, e)
        elif pre == "abs":
            e = bd.unary("math.absf", e)
        return bd.binary(combine, e, acc)
    y = ctx.b.reduce(x, axes, init, fn, keepdims=keep)
    if post == "mean":
        count = float(np.prod([x.shape[a] for a in axes]))
        y = ctx.b.elementwise([y], lambda bd, a, o: bd.binary(
            "arith.divf", a[0], bd.const(count)))
    elif post == "sqrt":
        y = ctx.b.elementwise([y], lambda bd, a, o: bd.unary("math.sqrt",
                                                              a[0]))
    return [y]


# -- Resize, Upsample ---------------------------------------------------------------

def source_coordinates(ctx, out, size, scale, mode):
    o = np.arange(out, dtype=np.float64)
    if mode == "asymmetric":
        return o / scale
    if mode == "align_corners":
        return o * (size - 1) / (out - 1) if out > 1 else np.zeros(out)
    if mode == "half_pixel":
        return (o + 0.5) / scale - 0.5
    if mode == "pytorch_half_pixel":
        return (o + 0.5) / scale - 0.5 if out > 1 else np.zeros(out)
    raise ctx.unsupported("coordinate_transformation_mode '%s'" % mode)


def nearest_index(ctx, coords, size, mode):
    if mode == "round_prefer_floor":
        idx = np.where(coords - np.floor(coords) == 0.5, np.floor(coords),
                       np.round(coords))
    elif mode == "round_prefer_ceil":
        idx = np.floor(coords + 0.5)
    elif mode == "floor":
        idx = np.floor(coords)
    elif mode == "ceil":
        idx = np.ceil(coords)
    else:
        raise ctx.unsupported("nearest_mode '%s'" % mode)
    return np.clip(idx, 0, size - 1).astype(np.int64)


@converter("Resize", "Upsample")
def convert_resize(ctx):
    x = ctx.float_value(0)
    op = ctx.node.op_type
    mode = ctx.attr_str("mode", "nearest")
    if op == "Upsample":
        scales = ctx.attr("scales") if ctx.opset < 9 else ctx.constant(
            1, "scales")
        coord_mode, nearest_mode = "asymmetric", "floor"
        sizes = None
    else:
        coord_mode = ctx.attr_str("coordinate_transformation_mode",
                                  "half_pixel")
        nearest_mode = ctx.attr_str("nearest_mode", "round_prefer_floor")
        if ctx.opset < 11:
            scales, sizes = ctx.constant(1, "scales"), None
            coord_mode = "asymmetric"
            nearest_mode = "floor"
        else:
            scales = ctx.constant(2, "scales") if ctx.has(2) else None
            sizes = ctx.constant(3, "sizes") if ctx.has(3) else None
            if scales is not None and scales.size == 0:
                scales = None
    if mode in ("linear", "bilinear"):
        mode = "linear"
    elif mode != "nearest":
        raise ctx.unsupported("mode '%s'" % mode)
    if sizes is not None:
        out_shape = tuple(int(s) for s in sizes)
        scales = [o / i for o, i in zip(out_shape, x.shape)]
    else:
        if scales is None or len(scales) != x.rank:
            raise ctx.error("scales must give one value per dimension")
        scales = [float(s) for s in scales]
        out_shape = tuple(int(math.floor(i * s)) for i, s in
                          zip(x.shape, scales))
    resized = [d for d in range(x.rank) if out_shape[d] != x.shape[d]]
    if any(d < x.rank - 2 for d in resized) and x.rank >= 3:
        raise ctx.unsupported("resizing the batch or channel dimension")
    b = ctx.b
    r = x.rank
    tables, maps = [], []
    for d in range(r):
        if out_shape[d] == x.shape[d] and scales[d] == 1.0:
            continue
        coords = source_coordinates(ctx, out_shape[d], x.shape[d],
                                    scales[d], coord_mode)
        if mode == "nearest":
            idx = nearest_index(ctx, coords, x.shape[d], nearest_mode)
            tables.append((d, [b.constant(idx.astype(np.int64))], None))
        else:
            coords = np.clip(coords, 0, x.shape[d] - 1)
            lo = np.floor(coords).astype(np.int64)
            hi = np.minimum(lo + 1, x.shape[d] - 1)
            frac = (coords - lo).astype(np.float32)
            tables.append((d, [b.constant(lo), b.constant(hi)],
                           b.constant(frac)))
    if not tables:
        return [x]
    inputs = []
    for d, idx_tables, frac in tables:
        for t in idx_tables:
            inputs.append(t)
            maps.append(ir.affine_map(r, ["d%d" % d]))
        if frac is not None:
            inputs.append(frac)
            maps.append(ir.affine_map(r, ["d%d" % d]))
    maps.append(ir.affine_map(r, ["d%d" % i for i in range(r)]))

    def body(bd, args, out):
        it = iter(args)
        per_dim = {}
        for d, idx_tables, frac in tables:
            names = [next(it) for _ in idx_tables]
            f = next(it) if frac is not None else None
            per_dim[d] = ([bd.op("arith.index_cast %s : i64 to index" % n)
                           for n in names], f)
        base = {d: bd.op("linalg.index %d : index" % d) for d in range(r)
                if d not in per_dim}
        # Every corner of the interpolation cell, weighted.
        lin = [d for d in per_dim if per_dim[d][1] is not None]
        total = None
        for corner in range(1 << len(lin)):
            coords, weight = [], None
            for d in range(r):
                if d in per_dim:
                    idx, f = per_dim[d]
                    if f is None:
                        coords.append(idx[0])
                    else:
                        bit = (corner >> lin.index(d)) & 1
                        coords.append(idx[bit])
                        w = f if bit else bd.binary("arith.subf",
                                                    bd.const(1.0), f)
                        weight = w if weight is None else bd.binary(
                            "arith.mulf", weight, w)
                else:
                    coords.append(base[d])
            v = bd.op("tensor.extract %s[%s] : %s" % (x.name,
                                                      ", ".join(coords),
                                                      x.type))
            if weight is not None:
                v = bd.binary("arith.mulf", v, weight)
            total = v if total is None else bd.binary("arith.addf", total, v)
        return total
    return [b.generic(inputs, maps, out_shape, F32, ["parallel"] * r, body)]
