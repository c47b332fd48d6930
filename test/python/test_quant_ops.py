"""ONNX's quantized ops (no backend test data has them): models built with
onnx.helper against numpy references of the ONNX definitions. Quantize
and DequantizeLinear round half to even and saturate; QLinearMatMul,
QLinearConv and MatMulInteger accumulate exactly in int32 and requantize
with the f32 multiplier s_a s_b / s_y; the results must be exact."""

import numpy as np
import pytest
from onnx import TensorProto, helper, numpy_helper

from helpers import run
import compress

rng = np.random.default_rng(7)


def model(nodes, inputs, outputs, inits, opset=13):
    graph = helper.make_graph(
        nodes, "g",
        [helper.make_tensor_value_info(n, t, s) for n, t, s in inputs],
        [helper.make_tensor_value_info(n, t, None) for n, t in outputs],
        [numpy_helper.from_array(v, k) for k, v in inits.items()])
    return helper.make_model(graph, opset_imports=[helper.make_opsetid(
        "", opset)])


def quantize_ref(x, scale, zp, dtype, axis=None):
    shape = [1] * x.ndim
    if axis is not None:
        shape[axis] = -1
    scale = np.asarray(scale, np.float32).reshape(shape)
    zp = np.asarray(zp).astype(np.int64).reshape(shape)
    info = np.iinfo(dtype)
    q = np.rint(x.astype(np.float32) / scale).astype(np.int64) + zp
    return np.clip(q, info.min, info.max).astype(dtype)


@pytest.mark.parametrize("dtype", [np.uint8, np.int8])
def test_quantize_linear_per_tensor(dtype):
    x = np.concatenate([rng.uniform(-4, 4, 60), [0.25, 0.75, -0.25, 1e9,
                                                 -1e9]]).astype(np.float32)
    scale = np.array(0.5, np.float32)
    zp = np.array(3, dtype)
    m = model([helper.make_node("QuantizeLinear", ["x", "s", "z"], ["y"])],
              [("x", TensorProto.FLOAT, x.shape)],
              [("y", TensorProto.UINT8 if dtype == np.uint8 else
                TensorProto.INT8)], {"s": scale, "z": zp})
    (got,) = run(m, [x])
    assert got.dtype == dtype
    np.testing.assert_array_equal(got, quantize_ref(x, 0.5, 3, dtype))


def test_quantize_and_dequantize_per_axis():
    x = rng.uniform(-3, 3, (2, 3, 4)).astype(np.float32)
    scale = np.array([0.1, 0.25, 0.5], np.float32)
    zp = np.array([0, -5, 7], np.int8)
    m = model([helper.make_node("QuantizeLinear", ["x", "s", "z"], ["q"],
                                axis=1),
               helper.make_node("DequantizeLinear", ["q", "s", "z"], ["y"],
                                axis=1)],
              [("x", TensorProto.FLOAT, x.shape)],
              [("q", TensorProto.INT8), ("y", TensorProto.FLOAT)],
              {"s": scale, "z": zp})
    q, y = run(m, [x])
    want_q = quantize_ref(x, scale, zp, np.int8, axis=1)
    np.testing.assert_array_equal(q, want_q)
    want_y = (want_q.astype(np.float32) - zp.reshape(1, 3, 1)) * \
        scale.reshape(1, 3, 1)
    np.testing.assert_allclose(y, want_y, rtol=1e-7)


def test_qdq_conv_keeps_an_int8_weight():
    """A QDQ model: the activation quantized and dequantized, the int8
    weight (per output channel) dequantized, then Conv. The weight stays
    int8 codes under compress.dequantize in the imported IR."""
    x = rng.uniform(-1, 1, (1, 3, 6, 6)).astype(np.float32)
    w = rng.integers(-127, 128, (4, 3, 3, 3)).astype(np.int8)
    ws = rng.uniform(0.001, 0.01, 4).astype(np.float32)
    nodes = [
        helper.make_node("QuantizeLinear", ["x", "xs", "xz"], ["xq"]),
        helper.make_node("DequantizeLinear", ["xq", "xs", "xz"], ["xd"]),
        helper.make_node("DequantizeLinear", ["w", "ws", "wz"], ["wd"],
                         axis=0),
        helper.make_node("Conv", ["xd", "wd"], ["y"], pads=[1, 1, 1, 1]),
    ]
    inits = {"xs": np.array(1 / 64, np.float32),
             "xz": np.array(128, np.uint8), "w": w, "ws": ws,
             "wz": np.zeros(4, np.int8)}
    m = model(nodes, [("x", TensorProto.FLOAT, x.shape)],
              [("y", TensorProto.FLOAT)], inits)
    imported = compress.import_onnx(m)
    assert "compress.dequantize" in imported.text
    assert "tensor<4x3x3x3xi8>" in imported.text
    (got,) = run(m, [x])
    import torch
    import torch.nn.functional as F
    xd = (quantize_ref(x, 1 / 64, 128, np.uint8).astype(np.float32) - 128) \
        / 64
    wd = w.astype(np.float32) * ws.reshape(4, 1, 1, 1)
    want = F.conv2d(torch.from_numpy(xd), torch.from_numpy(wd),
                    padding=1).numpy()
    np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6)


def requant_ref(acc, multiplier, zp, dtype):
    info = np.iinfo(dtype)
    v = np.rint(acc.astype(np.float32) * np.float32(multiplier)) + zp
    return np.clip(v, info.min, info.max).astype(dtype)


@pytest.mark.parametrize("per_column", [False, True])
def test_qlinear_matmul(per_column):
    a = rng.integers(0, 256, (5, 16)).astype(np.uint8)
    b = rng.integers(-128, 128, (16, 6)).astype(np.int8)
    sa, sy = np.float32(0.02), np.float32(0.05)
    sb = (rng.uniform(0.01, 0.03, 6) if per_column else
          np.array(0.02)).astype(np.float32)
    za, zy = np.uint8(120), np.uint8(100)
    zb = np.zeros(6 if per_column else (), np.int8)
    m = model([helper.make_node("QLinearMatMul", ["a", "sa", "za", "b", "sb",
                                                  "zb", "sy", "zy"], ["y"])],
              [("a", TensorProto.UINT8, a.shape)], [("y", TensorProto.UINT8)],
              {"sa": np.array(sa), "za": np.array(za), "b": b, "sb": sb,
               "zb": zb, "sy": np.array(sy), "zy": np.array(zy)})
    (got,) = run(m, [a])
    acc = (a.astype(np.int64) - 120) @ b.astype(np.int64)
    mult = (np.float64(sa) * sb.astype(np.float64) / np.float64(sy)).astype(
        np.float32)
    want = requant_ref(acc, mult, 100, np.uint8)
    assert got.dtype == np.uint8
    np.testing.assert_array_equal(got, want)


def test_qlinear_conv():
    x = rng.integers(0, 256, (1, 3, 7, 7)).astype(np.uint8)
    w = rng.integers(-100, 100, (5, 3, 3, 3)).astype(np.int8)
    bias = rng.integers(-500, 500, 5).astype(np.int32)
    sx, sy = np.float32(0.01), np.float32(0.2)
    sw = rng.uniform(0.005, 0.02, 5).astype(np.float32)
    m = model([helper.make_node("QLinearConv", ["x", "sx", "zx", "w", "sw",
                                                "zw", "sy", "zy", "b"],
                                ["y"], pads=[1, 1, 1, 1], strides=[2, 2])],
              [("x", TensorProto.UINT8, x.shape)], [("y", TensorProto.INT8)],
              {"sx": np.array(sx), "zx": np.array(128, np.uint8), "w": w,
               "sw": sw, "zw": np.zeros(5, np.int8), "sy": np.array(sy),
               "zy": np.array(-3, np.int8), "b": bias})
    (got,) = run(m, [x])
    xc = np.pad(x.astype(np.int64) - 128, [(0, 0), (0, 0), (1, 1), (1, 1)])
    acc = np.zeros((1, 5, 4, 4), np.int64)
    for i in range(4):
        for j in range(4):
            win = xc[:, :, 2 * i:2 * i + 3, 2 * j:2 * j + 3]
            acc[:, :, i, j] = np.einsum("ncij,fcij->nf", win,
                                        w.astype(np.int64))
    acc += bias.reshape(1, 5, 1, 1)
    mult = (np.float64(sx) * sw.astype(np.float64) / np.float64(sy)).astype(
        np.float32).reshape(1, 5, 1, 1)
    want = requant_ref(acc, mult, -3, np.int8)
    np.testing.assert_array_equal(got, want)


def test_matmul_integer():
    a = rng.integers(0, 256, (2, 3, 8)).astype(np.uint8)
    b = rng.integers(-128, 128, (8, 4)).astype(np.int8)
    m = model([helper.make_node("MatMulInteger", ["a", "b", "za", "zb"],
                                ["y"])],
              [("a", TensorProto.UINT8, a.shape)], [("y", TensorProto.INT32)],
              {"b": b, "za": np.array(7, np.uint8),
               "zb": np.array(-2, np.int8)})
    (got,) = run(m, [a])
    want = (a.astype(np.int64) - 7) @ (b.astype(np.int64) + 2)
    np.testing.assert_array_equal(got, want.astype(np.int32))


def test_bad_quantization_parameters():
    x = np.zeros((2, 2), np.float32)
    m = model([helper.make_node("QuantizeLinear", ["x", "s"], ["y"])],
              [("x", TensorProto.FLOAT, x.shape)], [("y", TensorProto.UINT8)],
              {"s": np.array(-1.0, np.float32)})
    with pytest.raises(compress.ImportError_, match="positive"):
        compress.import_onnx(m)
    m = model([helper.make_node("QuantizeLinear", ["x", "s", "z"], ["y"])],
              [("x", TensorProto.FLOAT, x.shape)], [("y", TensorProto.INT32)],
              {"s": np.array(1.0, np.float32), "z": np.array(0, np.int32)})
    with pytest.raises(compress.ImportError_, match="int32 codes"):
        compress.import_onnx(m)
