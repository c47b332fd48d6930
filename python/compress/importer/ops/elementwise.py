"""Elementwise ops: arithmetic with numpy broadcasting, activations, and
comparisons. Each has a numpy form (constant folding) and an MLIR form (a
linalg.generic whose body computes one element)."""

import math

import numpy as np

from ..graph import converter, folder
from .. import ir

F32 = np.float32


def erf(x):
    return np.vectorize(math.erf, otypes=[np.float64])(x).astype(x.dtype)


# -- binary arithmetic ------------------------------------------------------

BINARY = {
    # op: (numpy, float body op, integer body op)
    "Add": (np.add, "arith.addf", "arith.addi"),
    "Sub": (np.subtract, "arith.subf", "arith.subi"),
    "Mul": (np.multiply, "arith.mulf", "arith.muli"),
    "Div": (None, "arith.divf", "arith.divsi"),
    "Pow": (None, "math.powf", None),
}


def size_quotient(a, b):
    """a / b truncated toward zero (ONNX's integer Div) for a size: an int
    or an ir.Dim (divided exactly by a positive int, else an error)."""
    if isinstance(a, ir.Dim) or isinstance(b, ir.Dim):
        if isinstance(b, ir.Dim) or int(b) <= 0:
            raise ir.DynamicDimError(a if isinstance(a, ir.Dim) else b,
                                     "a division of sizes")
        return a // int(b)
    a, b = int(a), int(b)
    q = abs(a) // abs(b)
    return q if (a < 0) == (b < 0) else -q


def numpy_div(a, b):
    if a.dtype == object or b.dtype == object:
        # Sizes, one of them dynamic (ir.Dim).
        return np.frompyfunc(size_quotient, 2, 1)(a, b)
    if np.issubdtype(np.result_type(a, b), np.integer):
        # ONNX integer division truncates toward zero.
        return (np.trunc(a / b)).astype(np.result_type(a, b))
    return np.divide(a, b)


def numpy_pow(a, b):
    if np.issubdtype(a.dtype, np.integer):
        return np.power(a, b).astype(a.dtype)
    return np.power(a, b.astype(a.dtype)).astype(a.dtype)


def legacy_broadcast(ctx, a, b):
    """Before opset 7, B broadcasts to A only with broadcast=1, aligned at
    `axis` (default: the trailing dimensions); returns B reshaped for numpy
    broadcasting."""
    if ctx.opset >= 7 or not ctx.attr("broadcast", 0):
        return b
    rank = len(a.shape)
    axis = ctx.attr("axis", rank - len(b.shape))
    axis = axis + rank if axis < 0 else axis
    shape = tuple(b.shape) + (1,) * (rank - axis - len(b.shape))
    if isinstance(b, np.ndarray):
        return b.reshape(shape)
    return ctx.b.reshape(b, shape)


def as_float(ctx, v, i, dtype=F32):
    """Operand i (a numpy array or Value) as a float Value of `dtype`."""
    if isinstance(v, np.ndarray):
        return ctx.b.constant(v.astype(dtype), ctx.node.input[i])
    if v.dtype != dtype:
        raise ctx.error("input %d has element type %s, the other %s" % (
            i, v.dtype, np.dtype(dtype)))
    return v


@folder(*BINARY)
def fold_binary(ctx):
    a, b = ctx.input(0), ctx.input(1)
    op = ctx.node.op_type
    b = legacy_broadcast(ctx, a, b)
    if op == "Div":
        return [numpy_div(a, b)]
    if op == "Pow":
        return [numpy_pow(a, b)]
    b = legacy_broadcast(ctx, a, b)
    out = BINARY[op][0](a, b)
    if a.dtype == object or b.dtype == object:
        # Sizes, one of them dynamic (ir.Dim).
        return [np.asarray(out, object)]
    return [out.astype(np.result_type(a.dtype, b.dtype))]


@converter(*BINARY)
def convert_binary(ctx):
    op = ctx.node.op_type
    a, b = ctx.input(0), legacy_broadcast(ctx, ctx.input(0), ctx.input(1))
    dtype = (a.dtype if isinstance(a, ir.Value) else b.dtype)
    if op == "Pow":
        # x^2, x^0.5, x^1 are spelled out (LayerNorm's spelled-out form
        # squares with Pow); other exponents use math.powf.
        if isinstance(b, np.ndarray) and b.size == 1:
            e = float(b.reshape(-1)[0])
            x = as_float(ctx, a, 0, dtype)
            if e == 2.0:
                return [ctx.b.elementwise(
                    [x], lambda bd, a_, o: bd.binary("arith.mulf", a_[0],
                                                      a_[0]))]
            if e == 1.0:
                return [x]
            if e == 0.5:
                return [ctx.b.elementwise(
                    [x], lambda bd, a_, o: bd.unary("math.sqrt", a_[0]))]
        x, y = as_float(ctx, a, 0, dtype), as_float(ctx, b, 1, dtype)
        return [ctx.b.elementwise(
            [x, y], lambda bd, a_, o: bd.binary("math.powf", a_[0], a_[1]))]
    if dtype.kind == "f":
        x, y = as_float(ctx, a, 0, dtype), as_float(ctx, b, 1, dtype)
        body_op = BINARY[op][1]
        ty = ir.element_type(dtype)
    elif np.issubdtype(dtype, np.integer) and BINARY[op][2]:
        x = ctx.as_value(a, dtype, hint=ctx.node.input[0])
        y = ctx.as_value(b, dtype, hint=ctx.node.input[1])
        body_op = BINARY[op][2]
        ty = ir.element_type(dtype)
    else:
        raise ctx.error("%s tensors are not computed" % dtype)
    return [ctx.b.elementwise(
        [x, y], lambda bd, a_, o: bd.binary(body_op, a_[0], a_[1], ty),
        out_dtype=dtype)]


# -- variadic ---------------------------------------------------------------

VARIADIC = {"Sum": (np.add, "arith.addf"), "Max": (np.maximum,
                                                   "arith.maximumf"),
            "Min": (np.minimum, "arith.minimumf"), "Mean": (np.add,
                                                            "arith.addf")}


@folder(*VARIADIC)
def fold_variadic(ctx):
    fn = VARIADIC[ctx.node.op_type][0]
    values = [v for v in ctx.inputs() if v is not None]
    out = values[0]
    for v in values[1:]:
        out = fn(out, v)
    if ctx.node.op_type == "Mean":
        out = out / len(values)
    return [np.asarray(out).astype(values[0].dtype)]


@converter(*VARIADIC)
def convert_variadic(ctx):
    op = ctx.node.op_type
    values = [ctx.float_value(i) for i in range(ctx.num_inputs)
              if ctx.has(i)]
    body_op = VARIADIC[op][1]
    count = len(values)

    def body(bd, args, out):
        acc = args[0]
        for a in args[1:]:
            acc = bd.binary(body_op, acc, a)
        if op == "Mean":
            acc = bd.binary("arith.divf", acc, bd.const(float(count)))
        return acc
    return [ctx.b.elementwise(values, body)]


# -- unary ------------------------------------------------------------------

def unary_table():
    """op -> (numpy function, body function(ctx, bd, x) -> name)."""
    def simple(op):
        return lambda ctx, bd, x: bd.unary(op, x)

    def relu(ctx, bd, x):
        return bd.binary("arith.maximumf", x, bd.const(0.0))

    def leaky(ctx, bd, x):
        alpha = ctx.attr("alpha", 0.01)
        neg = bd.binary("arith.mulf", x, bd.const(alpha))
        cond = bd.cmpf("ogt", x, bd.const(0.0))
        return bd.select(cond, x, neg)

    def sigmoid(ctx, bd, x):
        # 1 / (1 + exp(-x))
        e = bd.unary("math.exp", bd.unary("arith.negf", x))
        return bd.binary("arith.divf", bd.const(1.0),
                         bd.binary("arith.addf", bd.const(1.0), e))

    def hard_sigmoid(ctx, bd, x):
        alpha, beta = ctx.attr("alpha", 0.2), ctx.attr("beta", 0.5)
        y = bd.binary("arith.addf", bd.binary("arith.mulf", x,
                                              bd.const(alpha)),
                      bd.const(beta))
        y = bd.binary("arith.maximumf", y, bd.const(0.0))
        return bd.binary("arith.minimumf", y, bd.const(1.0))

    def hard_swish(ctx, bd, x):
        y = bd.binary("arith.addf", bd.binary("arith.mulf", x,
                                              bd.const(1.0 / 6.0)),
                      bd.const(0.5))
        y = bd.binary("arith.maximumf", y, bd.const(0.0))
        y = bd.binary("arith.minimumf", y, bd.const(1.0))
        return bd.binary("arith.mulf", x, y)

    def elu(ctx, bd, x):
        alpha = ctx.attr("alpha", 1.0)
        e = bd.binary("arith.subf", bd.unary("math.exp", x), bd.const(1.0))
        neg = bd.binary("arith.mulf", e, bd.const(alpha))
        cond = bd.cmpf("ogt", x, bd.const(0.0))
        return bd.select(cond, x, neg)

    def selu(ctx, bd, x):
        alpha = ctx.attr("alpha", 1.6732632423543772)
        gamma = ctx.attr("gamma", 1.0507009873554805)
        e = bd.binary("arith.subf", bd.unary("math.exp", x), bd.const(1.0))
        neg = bd.binary("arith.mulf", e, bd.const(alpha))
        cond = bd.cmpf("ogt", x, bd.const(0.0))
        return bd.binary("arith.mulf", bd.select(cond, x, neg),
                         bd.const(gamma))

    def softplus(ctx, bd, x):
        # log(1 + exp(x)), as max(x, 0) + log(1 + exp(-|x|)) (no overflow).
        ax = bd.unary("math.absf", x)
        e = bd.unary("math.exp", bd.unary("arith.negf", ax))
        l = bd.unary("math.log1p", e)
        return bd.binary("arith.addf", bd.binary("arith.maximumf", x,
                                                 bd.const(0.0)), l)

    def softsign(ctx, bd, x):
        return bd.binary("arith.divf", x, bd.binary(
            "arith.addf", bd.const(1.0), bd.unary("math.absf", x)))

    def reciprocal(ctx, bd, x):
        return bd.binary("arith.divf", bd.const(1.0), x)

    def sign(ctx, bd, x):
        pos = bd.cmpf("ogt", x, bd.const(0.0))
        neg = bd.cmpf("olt", x, bd.const(0.0))
        return bd.select(pos, bd.const(1.0), bd.select(neg, bd.const(-1.0),
                                                       bd.const(0.0)))

    def shrink(ctx, bd, x):
        lambd, bias = ctx.attr("lambd", 0.5), ctx.attr("bias", 0.0)
        lo = bd.cmpf("olt", x, bd.const(-lambd))
        hi = bd.cmpf("ogt", x, bd.const(lambd))
        return bd.select(lo, bd.binary("arith.addf", x, bd.const(bias)),
                         bd.select(hi, bd.binary("arith.subf", x,
                                                 bd.const(bias)),
                                   bd.const(0.0)))

    def gelu(ctx, bd, x):
        approximate = ctx.attr_str("approximate", "none")
        if approximate == "tanh":
            inner = bd.binary("arith.mulf", bd.const(math.sqrt(2 / math.pi)),
                              bd.binary("arith.addf", x, bd.binary(
                                  "arith.mulf", bd.const(0.044715),
                                  bd.binary("arith.mulf", x, bd.binary(
                                      "arith.mulf", x, x)))))
            t = bd.unary("math.tanh", inner)
        else:
            t = bd.unary("math.erf", bd.binary("arith.mulf", x, bd.const(
                1 / math.sqrt(2))))
        return bd.binary("arith.mulf", bd.binary("arith.mulf", x,
                                                 bd.const(0.5)),
                         bd.binary("arith.addf", bd.const(1.0), t))

    def round_even(ctx, bd, x):
        return bd.unary("math.roundeven", x)

    return {
        "Relu": (lambda ctx, x: np.maximum(x, 0).astype(x.dtype), relu),
        "LeakyRelu": (lambda ctx, x: np.where(x > 0, x, x * ctx.attr(
            "alpha", 0.01)).astype(x.dtype), leaky),
        "Sigmoid": (lambda ctx, x: (1 / (1 + np.exp(-x))).astype(x.dtype),
                    sigmoid),
        "HardSigmoid": (lambda ctx, x: np.clip(
            x * ctx.attr("alpha", 0.2) + ctx.attr("beta", 0.5), 0, 1)
            .astype(x.dtype), hard_sigmoid),
        "HardSwish": (lambda ctx, x: (x * np.clip(x / 6 + 0.5, 0, 1))
                      .astype(x.dtype), hard_swish),
        "Tanh": (lambda ctx, x: np.tanh(x), simple("math.tanh")),
        "Exp": (lambda ctx, x: np.exp(x), simple("math.exp")),
        "Log": (lambda ctx, x: np.log(x), simple("math.log")),
        "Sqrt": (lambda ctx, x: np.sqrt(x), simple("math.sqrt")),
        "Erf": (lambda ctx, x: erf(x), simple("math.erf")),
        "Neg": (lambda ctx, x: -x, simple("arith.negf")),
        "Abs": (lambda ctx, x: np.abs(x), simple("math.absf")),
        "Floor": (lambda ctx, x: np.floor(x), simple("math.floor")),
        "Ceil": (lambda ctx, x: np.ceil(x), simple("math.ceil")),
        "Round": (lambda ctx, x: np.round(x), round_even),
        "Sin": (lambda ctx, x: np.sin(x), simple("math.sin")),
        "Cos": (lambda ctx, x: np.cos(x), simple("math.cos")),
        "Reciprocal": (lambda ctx, x: (1 / x).astype(x.dtype), reciprocal),
        "Elu": (lambda ctx, x: np.where(x > 0, x, ctx.attr("alpha", 1.0) * (
            np.exp(x) - 1)).astype(x.dtype), elu),
        "Selu": (lambda ctx, x: (ctx.attr("gamma", 1.0507009873554805) *
                                 np.where(x > 0, x, ctx.attr(
                                     "alpha", 1.6732632423543772) *
                                     (np.exp(x) - 1))).astype(x.dtype), selu),
        "Softplus": (lambda ctx, x: np.log1p(np.exp(x)).astype(x.dtype),
                     softplus),
        "Softsign": (lambda ctx, x: (x / (1 + np.abs(x))).astype(x.dtype),
                     softsign),
        "Sign": (lambda ctx, x: np.sign(x), sign),
        "Shrink": (lambda ctx, x: np.where(
            x < -ctx.attr("lambd", 0.5), x + ctx.attr("bias", 0.0),
            np.where(x > ctx.attr("lambd", 0.5), x - ctx.attr("bias", 0.0),
                     0)).astype(x.dtype), shrink),
        "Gelu": (None, gelu),
    }


UNARY = unary_table()


@folder(*[k for k, v in UNARY.items() if v[0] is not None])
def fold_unary(ctx):
    x = ctx.input(0)
    return [np.asarray(UNARY[ctx.node.op_type][0](ctx, x))]


@converter(*UNARY)
def convert_unary(ctx):
    x = ctx.input(0)
    if x.dtype.kind != "f":
        raise ctx.error("expects a float tensor, got %s" % x.dtype)
    fn = UNARY[ctx.node.op_type][1]
    return [ctx.b.elementwise([x], lambda bd, a, o: fn(ctx, bd, a[0]),
                              out_dtype=x.dtype)]


# -- Clip, PRelu --------------------------------------------------------------

def clip_bounds(ctx):
    """(min, max) of Clip as floats or None: attributes before opset 11,
    optional constant inputs from 11."""
    if ctx.opset < 11:
        return ctx.attr("min", None), ctx.attr("max", None)
    bounds = []
    for i in (1, 2):
        v = ctx.input(i)
        if v is None:
            bounds.append(None)
        elif isinstance(v, np.ndarray):
            bounds.append(float(v.reshape(-1)[0]))
        else:
            raise ctx.error("input %d (the %s bound) must be a constant" % (
                i, "min" if i == 1 else "max"))
    return tuple(bounds)


@folder("Clip")
def fold_clip(ctx):
    lo, hi = clip_bounds(ctx)
    x = ctx.input(0)
    return [np.clip(x, lo if lo is not None else -np.inf,
                    hi if hi is not None else np.inf).astype(x.dtype)]


@converter("Clip")
def convert_clip(ctx):
    lo, hi = clip_bounds(ctx)
    x = ctx.float_value(0)

    def body(bd, a, o):
        y = a[0]
        if lo is not None:
            y = bd.binary("arith.maximumf", y, bd.const(lo))
        if hi is not None:
            y = bd.binary("arith.minimumf", y, bd.const(hi))
        return y
    return [ctx.b.elementwise([x], body)]


@converter("PRelu")
def convert_prelu(ctx):
    x = ctx.float_value(0)
    slope = ctx.input(1)
    if ctx.opset < 7 and isinstance(slope, np.ndarray) and \
            slope.ndim == 1 and x.rank >= 2 and slope.size == x.shape[1]:
        # Before opset 7 a slope of shape [C] is per channel (axis 1).
        slope = slope.reshape((-1,) + (1,) * (x.rank - 2))
    try:
        if ir.broadcast_shape(x.shape, slope.shape) != x.shape:
            raise ir.IRError("")
    except ir.IRError:
        raise ctx.error("slope of shape %s does not broadcast to the input's "
                        "%s" % (list(slope.shape), list(x.shape)))
    s = ctx.as_value(slope, np.float32, hint=ctx.node.input[1])

    def body(bd, a, o):
        cond = bd.cmpf("ogt", a[0], bd.const(0.0))
        return bd.select(cond, a[0], bd.binary("arith.mulf", a[0], a[1]))
    return [ctx.b.elementwise([x, s], body, out_shape=x.shape)]


# -- comparisons and selection ------------------------------------------------

COMPARE = {"Equal": (np.equal, "oeq", "eq"), "Less": (np.less, "olt", "slt"),
           "Greater": (np.greater, "ogt", "sgt"),
           "LessOrEqual": (np.less_equal, "ole", "sle"),
           "GreaterOrEqual": (np.greater_equal, "oge", "sge")}


@folder(*COMPARE)
def fold_compare(ctx):
    a, b = ctx.input(0), ctx.input(1)
    for v in (a, b):
        if v.dtype == object:
            # A dynamic size compared: known only at run time.
            dim = next((d for d in v.flat if isinstance(d, ir.Dim)), None)
            if dim is not None:
                raise ir.DynamicDimError(dim, "a comparison")
    return [COMPARE[ctx.node.op_type][0](a, b)]


@converter(*COMPARE)
def convert_compare(ctx):
    a, b = ctx.input(0), ctx.input(1)
    dtype = a.dtype if isinstance(a, ir.Value) else b.dtype
    x, y = ctx.value(0, dtype), ctx.value(1, dtype)
    _, fpred, ipred = COMPARE[ctx.node.op_type]
    ty = ir.element_type(dtype)
    if dtype.kind == "f":
        fn = lambda bd, a_, o: bd.op("arith.cmpf %s, %s, %s : %s" % (
            fpred, a_[0], a_[1], ty))
    else:
        fn = lambda bd, a_, o: bd.op("arith.cmpi %s, %s, %s : %s" % (
            ipred, a_[0], a_[1], ty))
    return [ctx.b.elementwise([x, y], fn, out_dtype=np.bool_)]


@folder("Not")
def fold_not(ctx):
    return [np.logical_not(ctx.input(0))]


@folder("Where")
def fold_where(ctx):
    c, a, b = ctx.input(0), ctx.input(1), ctx.input(2)
    return [np.where(c, a, b).astype(np.result_type(a, b))]


@converter("Where")
def convert_where(ctx):
    c = ctx.value(0, np.bool_)
    a, b = ctx.input(1), ctx.input(2)
    dtype = a.dtype if isinstance(a, ir.Value) else b.dtype
    x, y = ctx.value(1, dtype), ctx.value(2, dtype)
    ty = ir.element_type(dtype)
    return [ctx.b.elementwise(
        [c, x, y], lambda bd, a_, o: bd.op("arith.select %s, %s, %s : %s" % (
            a_[0], a_[1], a_[2], ty)), out_dtype=dtype)]


# -- no-ops and casts -----------------------------------------------------------

@folder("Identity", "Dropout")
def fold_identity(ctx):
    outs = [ctx.input(0)]
    if ctx.node.op_type == "Dropout" and len(ctx.node.output) > 1:
        outs.append(np.ones(ctx.input(0).shape, np.bool_))
    return outs


@converter("Identity", "Dropout")
def convert_identity(ctx):
    if ctx.node.op_type == "Dropout":
        # Inference: the identity. A training-mode input that is constant
        # true is an error.
        if ctx.opset >= 12 and ctx.has(2):
            training = ctx.input(2)
            if not isinstance(training, np.ndarray) or bool(
                    training.reshape(-1)[0]):
                raise ctx.unsupported("training_mode other than false")
        # The mask output (if any) is not computed: an error only if used.
        return [ctx.input(0), None]
    return [ctx.input(0)]


CASTS = {1: np.float32, 11: np.float64, 10: np.float16, 7: np.int64,
         6: np.int32, 5: np.int16, 3: np.int8, 2: np.uint8, 9: np.bool_}


@folder("Cast")
def fold_cast(ctx):
    to = ctx.attr("to")
    if to not in CASTS:
        raise ctx.unsupported("cast to type %s" % to)
    return [ctx.input(0).astype(CASTS[to])]


@converter("Cast")
def convert_cast(ctx):
    to = np.dtype(CASTS.get(ctx.attr("to"), np.void))
    x = ctx.input(0)
    if to == np.void:
        raise ctx.unsupported("cast to type %s" % ctx.attr("to"))
    if x.dtype == to:
        return [x]
    src, dst = ir.element_type(x.dtype), ir.element_type(to)
    if x.dtype.kind == "f" and to.kind == "f":
        op = "arith.extf" if to.itemsize > x.dtype.itemsize else \
            "arith.truncf"
    elif x.dtype.kind == "f" and to.kind in "iu":
        op = "arith.fptosi" if to.kind == "i" else "arith.fptoui"
    elif x.dtype.kind in "iu" and to.kind == "f":
        op = "arith.sitofp" if x.dtype.kind == "i" else "arith.uitofp"
    elif x.dtype.kind in "iub" and to.kind in "iu":
        op = "arith.extsi" if to.itemsize > x.dtype.itemsize else \
            "arith.trunci"
    else:
        raise ctx.unsupported("cast from %s to %s" % (x.dtype, to))
    return [ctx.b.elementwise(
        [x], lambda bd, a, o: bd.op("%s %s : %s to %s" % (op, a[0], src,
                                                           dst)),
        out_dtype=to)]
