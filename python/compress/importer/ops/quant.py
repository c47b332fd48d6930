"""ONNX's quantized ops in the compiler's quantized representation.

QuantizeLinear and DequantizeLinear become compress.quantize and
compress.dequantize with a #compress.quant spec (per tensor or per axis),
so a DequantizeLinear of a constant int8 weight stays an int8 weight that
the code generator decodes inside the kernel. QLinearMatMul, QLinearConv
and MatMulInteger compute exactly as ONNX specifies: the codes minus their
zero points in int32, an int32 product (linalg.matmul / conv on i32), and
for the QLinear ops the requantization
    y = saturate(roundeven(f32(acc) * f32(s_a * s_b / s_y)) + z_y)
with the multiplier computed once in double precision.
"""

import numpy as np

from ..graph import converter
from .. import ir
from .nn import i64_array, window_params, out_size

I32 = np.int32


def spec(scale, zp, dtype, axis=None):
    """The #compress.quant text of per-tensor (axis None) or per-axis
    parameters."""
    scales = ", ".join(repr(float(s)) for s in np.atleast_1d(scale))
    zps = ", ".join(str(int(z)) for z in np.atleast_1d(zp))
    storage = {np.dtype(np.int8): "i8", np.dtype(np.uint8): "ui8"}[
        np.dtype(dtype)]
    text = "#compress.quant<%s, scales = [%s], zero_points = [%s]" % (
        storage, scales, zps)
    if axis is not None:
        text += ", axis = %d" % axis
    return text + ">"


def params(ctx, scale_i, zp_i, rank, code_dtype=None):
    """(scale array, zero point array, code dtype, axis or None) of a
    Quantize/DequantizeLinear; per-axis when the scale has more than one
    element (or is 1-D with opset >= 13 and an axis)."""
    scale = ctx.constant(scale_i, "the scale")
    if scale is None:
        raise ctx.error("the scale is missing")
    zp = ctx.constant(zp_i, "the zero point") if ctx.has(zp_i) else None
    if code_dtype is None:
        code_dtype = zp.dtype if zp is not None else np.dtype(np.uint8)
    code_dtype = np.dtype(code_dtype)
    if code_dtype not in (np.dtype(np.int8), np.dtype(np.uint8)):
        raise ctx.unsupported("%s codes (int8 and uint8 are)" % code_dtype)
    if zp is None:
        zp = np.zeros(scale.shape, code_dtype)
    if np.any(scale <= 0) or not np.all(np.isfinite(scale)):
        raise ctx.error("scales must be positive and finite")
    axis = None
    if scale.size > 1:
        axis = ctx.attr("axis", 1)
        if not -rank <= axis < rank:
            raise ctx.error("axis %d is out of range for rank %d" % (axis,
                                                                   rank))
        axis %= rank
    if zp.shape != scale.shape and zp.size != scale.size:
        raise ctx.error("the zero point has %d values, the scale %d" % (
            zp.size, scale.size))
    return (scale.reshape(-1).astype(np.float64),
            zp.reshape(-1).astype(np.int64), code_dtype, axis)


def dequantize(ctx, codes, scale, zp, axis):
    """compress.dequantize of `codes` (a Value or constant)."""
    b = ctx.b
    x = ctx.as_value(codes) if isinstance(codes, np.ndarray) else codes
    if axis is not None and x.shape[axis] != len(scale):
        raise ctx.error("%d scales for axis %d of size %d" % (
            len(scale), axis, x.shape[axis]))
    return b.result("compress.dequantize %s : %s -> %s, %s" % (
        x.name, x.type, ir.tensor_type(x.shape, np.float32),
        spec(scale, zp, x.dtype, axis)), x.shape, np.float32)


def quantize(ctx, x, scale, zp, axis, dtype):
    if axis is not None and x.shape[axis] != len(scale):
        raise ctx.error("%d scales for axis %d of size %d" % (
            len(scale), axis, x.shape[axis]))
    return ctx.b.result("compress.quantize %s : %s -> %s, %s" % (
        x.name, x.type, ir.tensor_type(x.shape, dtype),
        spec(scale, zp, dtype, axis)), x.shape, dtype)


@converter("DequantizeLinear")
def convert_dequantize(ctx):
    # Never folded: a dequantized constant stays int8 codes under
    # compress.dequantize, which the code generator decodes in the kernel.
    x = ctx.input(0)
    scale, zp, _, axis = params(ctx, 1, 2, len(x.shape), x.dtype)
    return [dequantize(ctx, x, scale, zp, axis)]


@converter("QuantizeLinear")
def convert_quantize(ctx):
    x = ctx.float_value(0)
    scale, zp, dtype, axis = params(ctx, 1, 2, x.rank)
    return [quantize(ctx, x, scale, zp, axis, dtype)]


# -- integer products ------------------------------------------------------------------

def centered_i32(ctx, codes, zp, axis=None):
    """codes - zero point as int32 (a Value); per-axis zero points along
    `axis`."""
    b = ctx.b
    if isinstance(codes, np.ndarray):
        shape = [1] * codes.ndim
        if axis is not None:
            shape[axis] = -1
        return b.constant((codes.astype(np.int64) - np.asarray(zp).reshape(
            shape)).astype(I32))
    if codes.dtype not in (np.dtype(np.int8), np.dtype(np.uint8)):
        raise ctx.error("expects int8 or uint8 codes, got %s" % codes.dtype)
    ext = "arith.extui" if codes.dtype == np.uint8 else "arith.extsi"
    src = "i8"
    zp = np.atleast_1d(zp).astype(np.int64)
    if zp.size == 1:
        z = int(zp[0])
        return b.elementwise([codes], lambda bd, a, o: bd.op(
            "arith.subi %s, %s : i32" % (bd.op("%s %s : %s to i32" % (
                ext, a[0], src)), bd.op("arith.constant %d : i32" % z))),
            out_dtype=I32)
    zv = b.constant(zp.astype(I32).reshape(
        [-1 if d == axis else 1 for d in range(codes.rank)]))
    return b.elementwise([codes, zv], lambda bd, a, o: bd.op(
        "arith.subi %s, %s : i32" % (bd.op("%s %s : %s to i32" % (
            ext, a[0], src)), a[1])), out_dtype=I32, out_shape=codes.shape)


def requantize(ctx, acc, multiplier, zp, dtype, channel_axis=None):
    """saturate(roundeven(f32(acc) * multiplier) + zp) as `dtype` codes;
    a per-channel multiplier along `channel_axis`."""
    b = ctx.b
    lo, hi = (-128, 127) if np.dtype(dtype) == np.int8 else (0, 255)
    mult = np.atleast_1d(multiplier).astype(np.float32)
    z = int(np.atleast_1d(zp)[0])
    ty = ir.element_type(dtype).replace("ui", "i")
    inputs = [acc]
    if mult.size > 1:
        inputs.append(b.constant(mult.reshape(
            [-1 if d == channel_axis else 1 for d in range(acc.rank)])))

    def body(bd, a, o):
        f = bd.op("arith.sitofp %s : i32 to f32" % a[0])
        m = a[1] if len(a) > 1 else bd.const(float(mult[0]))
        v = bd.unary("math.roundeven", bd.binary("arith.mulf", f, m))
        v = bd.binary("arith.addf", v, bd.const(float(z)))
        v = bd.binary("arith.maximumf", v, bd.const(float(lo)))
        v = bd.binary("arith.minimumf", v, bd.const(float(hi)))
        conv = "arith.fptoui" if np.dtype(dtype) == np.uint8 else \
            "arith.fptosi"
        return bd.op("%s %s : f32 to %s" % (conv, v, ty))
    out = b.elementwise(inputs, body, out_dtype=dtype, out_shape=acc.shape)
    return out


def i32_matmul(ctx, a, bm):
    """a (... x M x K) times bm (K x N or ... x K x N), both int32 Values,
    with numpy's batch rules; returns the int32 product."""
    b = ctx.b
    if a.rank < 2 or bm.rank < 2:
        raise ctx.unsupported("1-D operands of an integer MatMul")
    m, k = a.shape[-2:]
    n = bm.shape[-1]
    if bm.shape[-2] != k:
        raise ctx.error("inner dimensions %d and %d differ" % (k,
                                                               bm.shape[-2]))
    batch = ir.broadcast_shape(a.shape[:-2], bm.shape[:-2])
    if ir.dims_product(bm.shape[:-2]) == 1:
        rows = ir.dims_product(batch + (m,))
        a2 = b.reshape(a, (rows, k)) if a.shape[:-2] == batch else \
            b.reshape(b.elementwise([a], lambda bd, x, o: x[0], I32,
                                    batch + (m, k)), (rows, k))
        init = b.fill(0, (rows, n), I32)
        y = b.named("matmul", [a2, b.reshape(bm, (k, n))], init)
        return b.reshape(y, batch + (m, n))
    bt = ir.dims_product(batch)

    def expanded(v, shape):
        if v.shape != shape:
            v = b.elementwise([v], lambda bd, x, o: x[0], I32, shape)
        return b.reshape(v, (bt,) + shape[-2:])
    init = b.fill(0, (bt, m, n), I32)
    y = b.named("batch_matmul", [expanded(a, batch + (m, k)),
                                 expanded(bm, batch + (k, n))], init)
    return b.reshape(y, batch + (m, n))


def zero_point(ctx, i):
    v = ctx.constant(i, "a zero point") if ctx.has(i) else None
    return np.zeros(1, np.int64) if v is None else v.reshape(-1).astype(
        np.int64)


@converter("MatMulInteger")
def convert_matmul_integer(ctx):
    a, bm = ctx.input(0), ctx.input(1)
    za, zb = zero_point(ctx, 2), zero_point(ctx, 3)
    if za.size > 1:
        raise ctx.unsupported("a per-row zero point of A")
    axis_b = len(bm.shape) - 1 if zb.size > 1 else None
    ai = centered_i32(ctx, a, za)
    bi = centered_i32(ctx, bm, zb, axis_b)
    return [i32_matmul(ctx, ai, bi)]


@converter("QLinearMatMul")
def convert_qlinear_matmul(ctx):
    a, bm = ctx.input(0), ctx.input(3)
    sa, sb, sy = (ctx.constant(i).reshape(-1).astype(np.float64)
                  for i in (1, 4, 6))
    za, zb, zy = zero_point(ctx, 2), zero_point(ctx, 5), zero_point(ctx, 7)
    if sa.size > 1 or sy.size > 1:
        raise ctx.unsupported("per-axis scales of A or Y")
    out_dtype = ctx.constant(7).dtype if ctx.has(7) else np.dtype(np.uint8)
    axis_b = len(bm.shape) - 1 if sb.size > 1 or zb.size > 1 else None
    acc = i32_matmul(ctx, centered_i32(ctx, a, za),
                     centered_i32(ctx, bm, zb, axis_b))
    multiplier = sa[0] * sb / sy[0]
    return [requantize(ctx, acc, multiplier, zy, out_dtype,
                       acc.rank - 1 if multiplier.size > 1 else None)]


@converter("QLinearConv")
def convert_qlinear_conv(ctx):
    x, w = ctx.input(0), ctx.constant(3, "the weight")
    sx, sw, sy = (ctx.constant(i).reshape(-1).astype(np.float64)
                  for i in (1, 4, 6))
    zx, zw, zy = zero_point(ctx, 2), zero_point(ctx, 5), zero_point(ctx, 7)
    if len(x.shape) != 4:
        raise ctx.unsupported("a %d-D QLinearConv (2-D is)" % (
            len(x.shape) - 2))
    out_dtype = ctx.constant(7).dtype if ctx.has(7) else np.dtype(np.uint8)
    kernel = list(w.shape[2:])
    strides, dilations, pb, pe = window_params(ctx, x.shape[2:], kernel)
    group = ctx.attr("group", 1)
    b = ctx.b
    xi = centered_i32(ctx, x, zx)
    wi = centered_i32(ctx, w, zw, 0 if zw.size > 1 else None)
    n, c, h, wd = xi.shape
    f = w.shape[0]
    if group != 1:
        raise ctx.unsupported("grouped QLinearConv")
    oh = out_size(h, kernel[0], strides[0], dilations[0], pb[0], pe[0])
    ow = out_size(wd, kernel[1], strides[1], dilations[1], pb[1], pe[1])
    # Padding with the input's zero point is padding the centered input
    # with 0.
    xp = b.pad(xi, [0, 0] + pb, [0, 0] + pe, 0)
    init = b.fill(0, (n, f, oh, ow), I32)
    attrs = "{dilations = %s, strides = %s}" % (i64_array(dilations),
                                                 i64_array(strides))
    acc = b.named("conv_2d_nchw_fchw " + attrs, [xp, wi], init)
    if ctx.has(8):
        bias = ctx.constant(8, "the bias").astype(I32).reshape(-1, 1, 1)
        bv = b.constant(bias)
        acc = b.elementwise([acc, bv], lambda bd, a, o: bd.op(
            "arith.addi %s, %s : i32" % (a[0], a[1])), out_dtype=I32,
            out_shape=acc.shape)
    multiplier = sx[0] * sw / sy[0]
    return [requantize(ctx, acc, multiplier, zy, out_dtype,
                       1 if multiplier.size > 1 else None)]
