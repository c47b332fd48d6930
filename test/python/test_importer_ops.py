"""The importer op by op: one-node ONNX models (onnx.helper) imported,
compiled and run, against references computed here with torch or numpy
(never with the importer's own constant folding). Covers the attribute
forms the backend test data does not: auto_pad, asymmetric pads, groups,
Gemm's transposes and scales, MatMul broadcasting, old and new Softmax
axes, Clip/Squeeze/Unsqueeze/Split/Slice in attribute and input forms,
ceil_mode and count_include_pad, Resize modes, and more."""

import math

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from helpers import assert_close, run, single_node

rng = np.random.default_rng(0)


def rand(*shape, lo=-1.0, hi=1.0):
    return rng.uniform(lo, hi, shape).astype(np.float32)


def t(a):
    return torch.from_numpy(np.ascontiguousarray(a))


def check(model, inputs, want, rtol=1e-5, atol=1e-5, **kwargs):
    (got,) = run(model, inputs, **kwargs)
    assert_close(got, want, rtol=rtol, atol=atol)


# -- Conv -------------------------------------------------------------------------

CONV_CASES = [
    # (C, F, k, attrs)
    (3, 4, 3, dict()),
    (3, 4, 3, dict(pads=[1, 2, 0, 1], strides=[2, 1])),
    (4, 6, 3, dict(group=2, dilations=[2, 1], pads=[2, 1, 2, 1])),
    (4, 4, 3, dict(group=4, strides=[2, 2], pads=[1, 1, 1, 1])),
    (4, 8, 3, dict(group=4)),  # depthwise with a multiplier of 2
    (3, 5, 3, dict(auto_pad="SAME_UPPER", strides=[2, 2])),
    (3, 5, 4, dict(auto_pad="SAME_LOWER")),
    (3, 5, 3, dict(auto_pad="VALID", strides=[2, 3])),
]


def torch_conv(x, w, b, attrs):
    k = w.shape[2:]
    strides = attrs.get("strides", [1, 1])
    dil = attrs.get("dilations", [1, 1])
    auto = attrs.get("auto_pad", "NOTSET")
    if auto in ("SAME_UPPER", "SAME_LOWER"):
        pads = []
        for size, kk, s, d in zip(x.shape[2:], k, strides, dil):
            out = math.ceil(size / s)
            total = max((out - 1) * s + (kk - 1) * d + 1 - size, 0)
            lo = total // 2 if auto == "SAME_UPPER" else total - total // 2
            pads.append((lo, total - lo))
        pb, pe = [p[0] for p in pads], [p[1] for p in pads]
    elif auto == "VALID":
        pb, pe = [0, 0], [0, 0]
    else:
        p = attrs.get("pads", [0, 0, 0, 0])
        pb, pe = p[:2], p[2:]
    xp = F.pad(t(x), (pb[1], pe[1], pb[0], pe[0]))
    return F.conv2d(xp, t(w), t(b), stride=strides, dilation=dil,
                    groups=attrs.get("group", 1)).numpy()


@pytest.mark.parametrize("c,f,k,attrs", CONV_CASES)
def test_conv(c, f, k, attrs):
    x = rand(2, c, 9, 8)
    w = rand(f, c // attrs.get("group", 1), k, k)
    b = rand(f)
    model = single_node("Conv", {"x": x}, initializers={"w": w, "b": b},
                        **attrs)
    check(model, [x], torch_conv(x, w, b, attrs))


def test_conv_1d_and_without_bias():
    x, w = rand(2, 3, 11), rand(4, 3, 3)
    model = single_node("Conv", {"x": x}, initializers={"w": w},
                        strides=[2], pads=[1, 2])
    want = F.conv1d(F.pad(t(x), (1, 2)), t(w), stride=2).numpy()
    check(model, [x], want)


@pytest.mark.parametrize("attrs", [
    dict(strides=[2, 2]),
    dict(strides=[2, 2], pads=[1, 1, 1, 1], output_padding=[1, 1]),
    dict(strides=[3, 2], dilations=[2, 1], pads=[0, 1, 2, 0]),
    dict(group=2, strides=[2, 2]),
    dict(strides=[2, 2], output_shape=[10, 10]),
])
def test_conv_transpose(attrs):
    x = rand(2, 4, 5, 5)
    g = attrs.get("group", 1)
    w, b = rand(4, 6 // g, 3, 3), rand(6)
    model = single_node("ConvTranspose", {"x": x},
                        initializers={"w": w, "b": b}, **attrs)
    s = attrs.get("strides", [1, 1])
    d = attrs.get("dilations", [1, 1])
    p = attrs.get("pads", [0, 0, 0, 0])
    op = attrs.get("output_padding", [0, 0])
    if "output_shape" in attrs:
        total = [s_ * (5 - 1) + (3 - 1) * d_ + 1 - o for s_, d_, o in
                 zip(s, d, attrs["output_shape"])]
        p = [tt - tt // 2 for tt in total] + [tt // 2 for tt in total]
    full = F.conv_transpose2d(t(x), t(w), t(b), stride=s, dilation=d,
                              groups=g, output_padding=op).numpy()
    want = full[:, :, p[0]:full.shape[2] - p[2], p[1]:full.shape[3] - p[3]]
    if sum(op):
        # torch adds output_padding at the end; ONNX too, then crops pads.
        want = F.conv_transpose2d(t(x), t(w), t(b), stride=s, dilation=d,
                                  groups=g, padding=1,
                                  output_padding=op).numpy()
    check(model, [x], want, atol=2e-5)


# -- Gemm, MatMul --------------------------------------------------------------------

@pytest.mark.parametrize("ta,tb,alpha,beta,cshape", [
    (0, 0, 1.0, 1.0, (5,)), (1, 0, 0.5, 2.0, (3, 5)), (0, 1, 2.0, 0.0, (1,)),
    (1, 1, 1.5, -1.0, (3, 1)), (0, 0, 1.0, 1.0, None)])
def test_gemm(ta, tb, alpha, beta, cshape):
    a = rand(4, 3) if ta else rand(3, 4)
    b = rand(5, 4) if tb else rand(4, 5)
    inits = {"b": b}
    if cshape:
        inits["c"] = rand(*cshape)
    model = single_node("Gemm", {"a": a}, initializers=inits, transA=ta,
                        transB=tb, alpha=alpha, beta=beta)
    want = alpha * ((a.T if ta else a) @ (b.T if tb else b))
    if cshape:
        want = want + beta * inits["c"]
    check(model, [a], want)


def test_gemm_of_two_activations():
    a, b = rand(3, 4), rand(5, 4)
    model = single_node("Gemm", {"a": a, "b": b}, transB=1, alpha=0.5)
    check(model, [a, b], 0.5 * a @ b.T)


@pytest.mark.parametrize("ashape,bshape,const_b", [
    ((3, 4), (4, 5), True), ((2, 3, 4), (4, 5), True),
    ((2, 1, 3, 4), (3, 4, 5), False), ((4,), (4, 5), True),
    ((2, 3, 4), (4,), True), ((2, 3, 4), (2, 4, 6), True),
    ((3, 4), (2, 4, 5), False)])
def test_matmul(ashape, bshape, const_b):
    a, b = rand(*ashape), rand(*bshape)
    if const_b:
        model = single_node("MatMul", {"a": a}, initializers={"b": b})
        inputs = [a]
    else:
        model = single_node("MatMul", {"a": a, "b": b})
        inputs = [a, b]
    check(model, inputs, np.matmul(a, b))


# -- elementwise --------------------------------------------------------------------

@pytest.mark.parametrize("op,fn", [
    ("Add", np.add), ("Sub", np.subtract), ("Mul", np.multiply),
    ("Div", np.divide), ("Pow", np.power)])
@pytest.mark.parametrize("bshape", [(3, 1, 5), (5,), (1,), (2, 3, 4, 5)])
def test_binary_broadcasting(op, fn, bshape):
    a = rand(2, 3, 4, 5, lo=0.5, hi=2.0)
    b = rand(*bshape, lo=0.5, hi=2.0)
    model = single_node(op, {"a": a, "b": b})
    check(model, [a, b], fn(a, b).astype(np.float32), rtol=1e-5)


def test_pow_by_constant_exponents():
    a = rand(3, 4, lo=0.1, hi=2.0)
    for e in (2.0, 0.5, 3.0):
        model = single_node("Pow", {"a": a},
                            initializers={"e": np.array(e, np.float32)})
        check(model, [a], np.power(a, e).astype(np.float32))


UNARY = {
    "Sqrt": (np.sqrt, 0.1, 2), "Exp": (np.exp, -2, 2), "Log": (np.log, 0.1, 3),
    "Neg": (np.negative, -1, 1), "Abs": (np.abs, -1, 1),
    "Reciprocal": (np.reciprocal, 0.5, 2), "Tanh": (np.tanh, -2, 2),
    "Erf": (np.vectorize(math.erf), -2, 2),
    "Relu": (lambda x: np.maximum(x, 0), -1, 1),
    "Sigmoid": (lambda x: 1 / (1 + np.exp(-x)), -4, 4),
    "Softsign": (lambda x: x / (1 + np.abs(x)), -3, 3),
    "Softplus": (lambda x: np.log1p(np.exp(x)), -3, 3),
    "Floor": (np.floor, -3, 3), "Ceil": (np.ceil, -3, 3),
    "HardSwish": (lambda x: x * np.clip(x / 6 + 0.5, 0, 1), -5, 5),
}


@pytest.mark.parametrize("op", list(UNARY))
def test_unary(op):
    fn, lo, hi = UNARY[op]
    x = rand(3, 37, lo=lo, hi=hi)
    check(single_node(op, {"x": x}), [x], fn(x.astype(np.float64)),
          rtol=2e-6, atol=2e-6)


@pytest.mark.parametrize("op,attrs,fn", [
    ("LeakyRelu", dict(alpha=0.2), lambda x: np.where(x > 0, x, 0.2 * x)),
    ("HardSigmoid", dict(alpha=0.3, beta=0.4),
     lambda x: np.clip(0.3 * x + 0.4, 0, 1)),
    ("Elu", dict(alpha=0.7), lambda x: np.where(x > 0, x, 0.7 * np.expm1(x))),
    ("Selu", dict(), lambda x: 1.0507009873554805 * np.where(
        x > 0, x, 1.6732632423543772 * np.expm1(x)))])
def test_activation_attributes(op, attrs, fn):
    x = rand(4, 9, lo=-3, hi=3)
    check(single_node(op, {"x": x}, **attrs), [x], fn(x), rtol=1e-5)


def test_prelu_per_channel():
    x, s = rand(2, 3, 4, 4), rand(3, 1, 1)
    model = single_node("PRelu", {"x": x}, initializers={"s": s})
    check(model, [x], np.where(x > 0, x, s * x))


@pytest.mark.parametrize("opset", [6, 11, 13])
def test_clip_forms(opset):
    x = rand(3, 8, lo=-2, hi=2)
    if opset < 11:
        model = single_node("Clip", {"x": x}, opset=opset, min=-0.5, max=1.0)
    else:
        model = single_node("Clip", {"x": x}, opset=opset, initializers={
            "lo": np.array(-0.5, np.float32), "hi": np.array(1.0,
                                                            np.float32)})
    check(model, [x], np.clip(x, -0.5, 1.0))


def test_clip_with_only_a_max():
    x = rand(3, 8, lo=-2, hi=2)
    model = single_node("Clip", {"x": x, None: None}, initializers={
        "hi": np.array(0.25, np.float32)})
    check(model, [x], np.minimum(x, 0.25))


def test_where_and_comparison():
    a, b = rand(3, 5), rand(3, 5)
    from onnx import helper
    nodes = [helper.make_node("Greater", ["a", "b"], ["c"]),
             helper.make_node("Where", ["c", "a", "b"], ["y0"])]
    graph = helper.make_graph(
        nodes, "g", [helper.make_tensor_value_info("a", 1, a.shape),
                     helper.make_tensor_value_info("b", 1, b.shape)],
        [helper.make_tensor_value_info("y0", 1, None)])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid(
        "", 13)])
    check(model, [a, b], np.maximum(a, b))


# -- softmax, reductions, normalization ---------------------------------------------

@pytest.mark.parametrize("op", ["Softmax", "LogSoftmax"])
@pytest.mark.parametrize("opset,axis", [(11, 1), (11, -1), (13, 1),
                                        (13, -1), (13, 0)])
def test_softmax_axes(op, opset, axis):
    x = rand(2, 3, 4, lo=-3, hi=3)
    model = single_node(op, {"x": x}, opset=opset, axis=axis)
    xt = torch.from_numpy(x)
    if opset < 13:
        a = axis % 3
        flat = xt.reshape(int(np.prod(x.shape[:a])), -1)
        y = (F.log_softmax if op == "LogSoftmax" else F.softmax)(flat, 1)
        want = y.reshape(x.shape).numpy()
    else:
        want = (F.log_softmax if op == "LogSoftmax" else F.softmax)(
            xt, axis).numpy()
    check(model, [x], want)


@pytest.mark.parametrize("op,fn", [("ReduceMean", np.mean),
                                   ("ReduceMax", np.max),
                                   ("ReduceMin", np.min),
                                   ("ReduceSum", np.sum),
                                   ("ReduceL2", lambda x, axis, keepdims:
                                    np.sqrt(np.sum(x * x, axis=axis,
                                                   keepdims=keepdims)))])
@pytest.mark.parametrize("axes,keep", [([1], 1), ([0, 2], 0), (None, 1)])
def test_reductions(op, fn, axes, keep):
    x = rand(2, 3, 4)
    if op == "ReduceSum":
        inits = {} if axes is None else {"axes": np.array(axes, np.int64)}
        model = single_node(op, {"x": x}, initializers=inits, keepdims=keep)
    else:
        attrs = {} if axes is None else {"axes": axes}
        model = single_node(op, {"x": x}, keepdims=keep, **attrs)
    want = fn(x, axis=None if axes is None else tuple(axes),
              keepdims=bool(keep))
    check(model, [x], np.asarray(want, np.float32))


def test_batch_norm():
    x = rand(2, 3, 4, 5)
    s, b, m, v = rand(3), rand(3), rand(3), rand(3, lo=0.5, hi=2)
    model = single_node("BatchNormalization", {"x": x}, initializers={
        "s": s, "b": b, "m": m, "v": v}, epsilon=1e-3)
    want = F.batch_norm(t(x), t(m), t(v), t(s), t(b), eps=1e-3).numpy()
    check(model, [x], want)


@pytest.mark.parametrize("axis", [-1, -2, 1])
def test_layer_norm(axis):
    x = rand(2, 3, 8)
    shape = x.shape[axis:]
    s, b = rand(*shape), rand(*shape)
    model = single_node("LayerNormalization", {"x": x},
                        initializers={"s": s, "b": b}, axis=axis,
                        epsilon=1e-4)
    want = F.layer_norm(t(x), shape, t(s), t(b), eps=1e-4).numpy()
    check(model, [x], want, atol=2e-5)


def test_instance_norm_and_lrn():
    x = rand(2, 5, 4, 4)
    s, b = rand(5), rand(5)
    model = single_node("InstanceNormalization", {"x": x},
                        initializers={"s": s, "b": b}, epsilon=1e-5)
    check(model, [x], F.instance_norm(t(x), weight=t(s), bias=t(b),
                                      eps=1e-5).numpy(), atol=2e-5)
    model = single_node("LRN", {"x": x}, size=3, alpha=1e-2, beta=0.75,
                        bias=1.0)
    check(model, [x], F.local_response_norm(t(x), 3, 1e-2, 0.75,
                                            1.0).numpy())


# -- pooling ----------------------------------------------------------------------

@pytest.mark.parametrize("attrs", [
    dict(kernel_shape=[3, 3], strides=[2, 2]),
    dict(kernel_shape=[3, 3], strides=[2, 2], ceil_mode=1),
    dict(kernel_shape=[2, 3], pads=[1, 1, 0, 1], strides=[1, 2]),
    dict(kernel_shape=[3, 3], strides=[2, 2], pads=[1, 1, 1, 1],
         ceil_mode=1),
])
@pytest.mark.parametrize("include_pad", [0, 1])
def test_average_pool(attrs, include_pad):
    x = rand(2, 3, 8, 9)
    model = single_node("AveragePool", {"x": x},
                        count_include_pad=include_pad, **attrs)
    p = attrs.get("pads", [0, 0, 0, 0])
    if p[0] == p[2] and p[1] == p[3]:
        want = F.avg_pool2d(t(x), attrs["kernel_shape"],
                            attrs.get("strides"), (p[0], p[1]),
                            ceil_mode=bool(attrs.get("ceil_mode", 0)),
                            count_include_pad=bool(include_pad)).numpy()
    else:
        # Asymmetric pads: average over explicit windows.
        kh, kw = attrs["kernel_shape"]
        sh, sw = attrs.get("strides", [1, 1])
        xp = np.pad(x, [(0, 0), (0, 0), (p[0], p[2]), (p[1], p[3])],
                    constant_values=np.nan)
        oh = (xp.shape[2] - kh) // sh + 1
        ow = (xp.shape[3] - kw) // sw + 1
        want = np.zeros((2, 3, oh, ow), np.float32)
        for i in range(oh):
            for j in range(ow):
                win = xp[:, :, i * sh:i * sh + kh, j * sw:j * sw + kw]
                if include_pad:
                    want[:, :, i, j] = np.nansum(win, (2, 3)) / (kh * kw)
                else:
                    want[:, :, i, j] = np.nanmean(win, (2, 3))
    check(model, [x], want)


@pytest.mark.parametrize("attrs", [
    dict(kernel_shape=[3, 3], strides=[2, 2], ceil_mode=1),
    dict(kernel_shape=[3, 3], pads=[1, 1, 1, 1], dilations=[2, 2]),
])
def test_max_pool(attrs):
    x = rand(2, 3, 9, 8)
    model = single_node("MaxPool", {"x": x}, **attrs)
    p = attrs.get("pads", [0, 0, 0, 0])
    want = F.max_pool2d(t(x), attrs["kernel_shape"],
                        attrs.get("strides", [1, 1]),
                        (p[0], p[1]), attrs.get("dilations", [1, 1]),
                        ceil_mode=bool(attrs.get("ceil_mode", 0))).numpy()
    check(model, [x], want)


def test_global_pools():
    x = rand(2, 3, 5, 6)
    check(single_node("GlobalAveragePool", {"x": x}), [x],
          x.mean((2, 3), keepdims=True))
    check(single_node("GlobalMaxPool", {"x": x}), [x],
          x.max((2, 3), keepdims=True))


# -- shapes and data movement --------------------------------------------------------

def test_reshape_flatten_transpose():
    x = rand(2, 3, 4)
    model = single_node("Reshape", {"x": x}, initializers={
        "s": np.array([0, -1, 2], np.int64)})
    check(model, [x], x.reshape(2, 6, 2))
    check(single_node("Flatten", {"x": x}, axis=2), [x], x.reshape(6, 4))
    check(single_node("Flatten", {"x": x}, axis=-1), [x], x.reshape(6, 4))
    check(single_node("Transpose", {"x": x}, perm=[2, 0, 1]), [x],
          x.transpose(2, 0, 1))


@pytest.mark.parametrize("opset", [11, 13])
def test_squeeze_unsqueeze_forms(opset):
    x = rand(2, 1, 3)
    if opset < 13:
        sq = single_node("Squeeze", {"x": x}, opset=opset, axes=[1])
        un = single_node("Unsqueeze", {"x": x}, opset=opset, axes=[0, -1])
    else:
        sq = single_node("Squeeze", {"x": x}, opset=opset,
                         initializers={"a": np.array([1], np.int64)})
        un = single_node("Unsqueeze", {"x": x}, opset=opset,
                         initializers={"a": np.array([0, -1], np.int64)})
    check(sq, [x], x.reshape(2, 3))
    check(un, [x], x.reshape(1, 2, 1, 3, 1))


@pytest.mark.parametrize("opset", [11, 13])
def test_split_forms(opset):
    x = rand(2, 7)
    if opset < 13:
        model = single_node("Split", {"x": x}, outputs=2, opset=opset,
                            axis=1, split=[3, 4])
    else:
        model = single_node("Split", {"x": x}, outputs=2, opset=opset,
                            axis=1, initializers={"s": np.array(
                                [3, 4], np.int64)})
    got = run(model, [x])
    assert_close(got[0], x[:, :3])
    assert_close(got[1], x[:, 3:])


@pytest.mark.parametrize("starts,ends,axes,steps", [
    ([1], [3], [0], [1]), ([0, -3], [2, 100], [0, 1], [1, 2]),
    ([-1], [-100], [1], None), ([1, 0], [5, 4], [1, 0], [2, 3])])
def test_slice(starts, ends, axes, steps):
    x = rand(4, 7)
    inits = {"s": np.array(starts, np.int64), "e": np.array(ends, np.int64),
             "a": np.array(axes, np.int64)}
    if steps is not None:
        inits["p"] = np.array(steps, np.int64)
    model = single_node("Slice", {"x": x}, initializers=inits)
    index = [slice(None)] * 2
    for s, e, a, st in zip(starts, ends, axes, steps or [1] * len(axes)):
        index[a] = slice(s, e, st)
    want = x[tuple(index)]
    if want.size == 0:
        with pytest.raises(Exception):
            run(model, [x])
    else:
        check(model, [x], want)


def test_slice_attribute_form():
    x = rand(4, 7)
    model = single_node("Slice", {"x": x}, opset=9, starts=[1, 2],
                        ends=[3, 6], axes=[0, 1])
    check(model, [x], x[1:3, 2:6])


def test_concat_gather_tile_expand():
    a, b = rand(2, 3), rand(2, 4)
    check(single_node("Concat", {"a": a, "b": b}, axis=-1), [a, b],
          np.concatenate([a, b], 1))
    x = rand(5, 3)
    model = single_node("Gather", {"x": x}, initializers={
        "i": np.array([[4, 0], [-1, 2]], np.int64)}, axis=0)
    check(model, [x], x[[[4, 0], [4, 2]]])
    model = single_node("Tile", {"x": x}, initializers={
        "r": np.array([2, 1], np.int64)})
    check(model, [x], np.tile(x, (2, 1)))
    y = rand(3, 1)
    model = single_node("Expand", {"y": y}, initializers={
        "s": np.array([2, 3, 4], np.int64)})
    check(model, [y], np.broadcast_to(y, (2, 3, 4)))


def test_gather_with_computed_indices():
    from onnx import TensorProto, helper, numpy_helper
    table = rand(6, 4)
    idx = np.array([[0, 5], [-1, 2]], np.int64)
    node = helper.make_node("Gather", ["table", "i"], ["y0"], axis=0)
    graph = helper.make_graph(
        [node], "g", [helper.make_tensor_value_info("i", TensorProto.INT64,
                                                    idx.shape)],
        [helper.make_tensor_value_info("y0", 1, None)],
        [numpy_helper.from_array(table, "table")])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid(
        "", 13)])
    check(model, [idx], table[idx])


@pytest.mark.parametrize("mode", ["constant", "reflect", "edge"])
def test_pad_modes(mode):
    x = rand(1, 2, 4, 5)
    pads = np.array([0, 0, 1, 2, 0, 0, 2, 1], np.int64)
    inits = {"p": pads}
    if mode == "constant":
        inits["v"] = np.array(0.5, np.float32)
    model = single_node("Pad", {"x": x}, initializers=inits, mode=mode)
    width = list(zip(pads[:4], pads[4:]))
    kwargs = {"constant_values": 0.5} if mode == "constant" else {}
    check(model, [x], np.pad(x, width, mode, **kwargs))


@pytest.mark.parametrize("mode,coord,nearest", [
    ("nearest", "asymmetric", "floor"),
    ("nearest", "half_pixel", "round_prefer_floor"),
    ("linear", "half_pixel", None), ("linear", "align_corners", None),
    ("linear", "pytorch_half_pixel", None)])
def test_resize(mode, coord, nearest):
    x = rand(1, 2, 4, 5)
    scales = np.array([1, 1, 2, 1.6], np.float32)
    attrs = dict(mode=mode, coordinate_transformation_mode=coord)
    if nearest:
        attrs["nearest_mode"] = nearest
    model = single_node("Resize", {"x": x}, initializers={
        "roi": np.zeros(0, np.float32), "scales": scales}, **attrs)
    size = (8, 8)
    if mode == "nearest" and coord == "asymmetric":
        want = F.interpolate(t(x), size=size, mode="nearest").numpy()
    elif mode == "nearest":
        # half_pixel + round_prefer_floor: index = round((o + 0.5) / s -
        # 0.5), halves down.
        def idx(out, inp, s):
            c = (np.arange(out) + 0.5) / s - 0.5
            r = np.where(c - np.floor(c) == 0.5, np.floor(c), np.round(c))
            return np.clip(r, 0, inp - 1).astype(int)
        ih, iw = idx(8, 4, 2.0), idx(8, 5, 1.6)
        want = x[:, :, ih][:, :, :, iw]
    else:
        align = coord == "align_corners"
        want = F.interpolate(t(x), size=size, mode="bilinear",
                             align_corners=align).numpy() \
            if coord != "half_pixel" else None
        if want is None:
            # half_pixel with the given scales (not the size ratio).
            want = F.interpolate(t(x), scale_factor=(2.0, 1.6),
                                 mode="bilinear", align_corners=False,
                                 recompute_scale_factor=False).numpy()
    check(model, [x], want, atol=1e-5)


def test_depth_to_space():
    x = rand(1, 8, 2, 3)
    for mode in ("DCR", "CRD"):
        model = single_node("DepthToSpace", {"x": x}, blocksize=2, mode=mode)
        if mode == "DCR":
            want = x.reshape(1, 2, 2, 2, 2, 3).transpose(
                0, 3, 4, 1, 5, 2).reshape(1, 2, 4, 6)
        else:
            want = F.pixel_shuffle(t(x), 2).numpy()
        check(model, [x], want)


def test_cast_identity_dropout_constant_shapes():
    from onnx import helper, numpy_helper
    x = rand(2, 3)
    nodes = [
        helper.make_node("Identity", ["x"], ["a"]),
        helper.make_node("Dropout", ["a"], ["b"], ratio=0.5),
        helper.make_node("Shape", ["b"], ["s"]),
        helper.make_node("ConstantOfShape", ["s"], ["ones"],
                         value=numpy_helper.from_array(np.array(
                             [2.0], np.float32))),
        helper.make_node("Mul", ["b", "ones"], ["c"]),
        helper.make_node("Cast", ["c"], ["ci"], to=7),
        helper.make_node("Cast", ["ci"], ["y0"], to=1),
    ]
    graph = helper.make_graph(nodes, "g", [
        helper.make_tensor_value_info("x", 1, x.shape)],
        [helper.make_tensor_value_info("y0", 1, None)])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid(
        "", 13)])
    x = x * 3
    check(model, [x], np.trunc(x * 2))
