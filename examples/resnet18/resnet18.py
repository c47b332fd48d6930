#!/usr/bin/python3
"""ResNet-18 with random weights, as MLIR (for compress) and as ONNX (for
ONNX Runtime), from one set of weights.

Usage:
    examples/resnet18/resnet18.py OUT_DIR [--width 64] [--size 224]
                                  [--classes 1000] [--calibration 8]
                                  [--seed 0]

Writes into OUT_DIR:
  model.mlir        fp32, NCHW, linalg on tensors: pad + conv_2d_nchw_fchw,
                    batch norm as its own elementwise op (unfolded, as an
                    importer produces it), relu, residual add, max pool,
                    global average pool, flatten, fully connected layer.
                    Weights are dense_resource blobs.
  model.onnx        the same network for ONNX Runtime: Conv,
                    BatchNormalization, Relu, Add, MaxPool,
                    GlobalAveragePool, Flatten, Gemm (opset 13).
  model.int8.onnx   the QDQ int8 network for ONNX Runtime (what its
                    quantizer produces, which ORT fuses into QLinearConv,
                    QLinearAdd, ...): batch norm folded, u8 activations
                    calibrated on the calibration inputs (zero point 0 after
                    ReLU), s8 per-channel weights, int32 biases; the last
                    layer stays fp32.
  x.npy             one input (1x3xSxS); reference.npy: the output on it of
                    a numpy implementation of the network.
  calib_K.npy       the calibration inputs; test inputs are drawn by the
                    benchmark with another seed.

The weights are He-initialized; the batch-norm statistics are then set to
the batch statistics of random inputs (as if trained), so every
layer's output has unit scale and the network is numerically like a trained
one. --width scales every channel count (64 -> 128 -> 256 -> 512) for small
test models.
"""

import argparse
import os
import sys

import numpy as np

EPS = 1e-5


def make_weights(width, classes, rng):
    """Returns the parameter dict and the layer plan."""
    p = {}

    def conv(name, f, c, k):
        std = np.sqrt(2.0 / (c * k * k))
        p[name + ".w"] = (rng.standard_normal((f, c, k, k)) * std).astype(
            np.float32)

    def bn(name, c):
        p[name + ".gamma"] = rng.uniform(0.5, 1.5, c).astype(np.float32)
        p[name + ".beta"] = rng.uniform(-0.2, 0.2, c).astype(np.float32)
        p[name + ".mean"] = np.zeros(c, np.float32)
        p[name + ".var"] = np.ones(c, np.float32)

    conv("conv1", width, 3, 7)
    bn("bn1", width)
    blocks = []
    channels = width
    for stage in range(4):
        out = width * (2 ** stage)
        for b in range(2):
            stride = 2 if stage > 0 and b == 0 else 1
            name = "layer%d.%d" % (stage + 1, b)
            conv(name + ".conv1", out, channels, 3)
            bn(name + ".bn1", out)
            conv(name + ".conv2", out, out, 3)
            bn(name + ".bn2", out)
            down = stride != 1 or channels != out
            if down:
                conv(name + ".down", out, channels, 1)
                bn(name + ".downbn", out)
            blocks.append((name, channels, out, stride, down))
            channels = out
    p["fc.w"] = (rng.standard_normal((classes, channels)) *
                 np.sqrt(1.0 / channels)).astype(np.float32)
    p["fc.b"] = rng.uniform(-0.1, 0.1, classes).astype(np.float32)
    return p, blocks


def conv2d(x, w, stride, pad):
    """NCHW convolution in numpy (float32)."""
    x = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    k = w.shape[2]
    windows = np.lib.stride_tricks.sliding_window_view(
        x, (k, k), axis=(2, 3))[:, :, ::stride, ::stride]
    y = np.tensordot(windows, w, axes=([1, 4, 5], [1, 2, 3]))
    return np.ascontiguousarray(y.transpose(0, 3, 1, 2))


def max_pool(x):
    """3x3, stride 2, padding 1 (-inf)."""
    x = np.pad(x, ((0, 0), (0, 0), (1, 1), (1, 1)), constant_values=-np.inf)
    windows = np.lib.stride_tricks.sliding_window_view(
        x, (3, 3), axis=(2, 3))[:, :, ::2, ::2]
    return windows.max(axis=(4, 5))


def forward(p, blocks, x, calibrate=False, record=None):
    """numpy forward pass (inference batch norm). With calibrate, each batch
    norm first takes the batch statistics of its input. record(name, array)
    sees every activation that is quantized in the int8 model."""
    def bn(name, y):
        if calibrate:
            p[name + ".mean"] = y.mean((0, 2, 3)).astype(np.float32)
            p[name + ".var"] = y.var((0, 2, 3)).astype(np.float32)
        scale = p[name + ".gamma"] / np.sqrt(p[name + ".var"] + EPS)
        shift = p[name + ".beta"] - p[name + ".mean"] * scale
        return (y * scale[:, None, None] + shift[:, None, None]).astype(
            np.float32)

    def relu(y):
        return np.maximum(y, 0)

    rec = record or (lambda name, value: None)
    y = x
    rec("input", y)
    y = relu(bn("bn1", conv2d(y, p["conv1.w"], 2, 3)))
    rec("stem", y)
    y = max_pool(y)
    for name, _, _, stride, down in blocks:
        h = relu(bn(name + ".bn1", conv2d(y, p[name + ".conv1.w"], stride, 1)))
        rec(name + ".relu1", h)
        h = bn(name + ".bn2", conv2d(h, p[name + ".conv2.w"], 1, 1))
        rec(name + ".conv2", h)
        if down:
            y = bn(name + ".downbn", conv2d(y, p[name + ".down.w"], stride, 0))
            rec(name + ".down", y)
        y = relu(h + y)
        rec(name + ".out", y)
    y = y.mean((2, 3))
    return (y @ p["fc.w"].T + p["fc.b"]).astype(np.float32)


# --------------------------------------------------------------------------
# MLIR
# --------------------------------------------------------------------------

class MLIR:
    def __init__(self):
        self.lines = []
        self.blobs = []
        self.n = 0

    def fresh(self):
        self.n += 1
        return "%%v%d" % self.n

    @staticmethod
    def ty(shape):
        return "tensor<%sxf32>" % "x".join(str(d) for d in shape)

    def const(self, name, array):
        key = name.replace(".", "_")
        self.blobs.append('      %s: "0x04000000%s"' % (
            key, np.ascontiguousarray(array, np.float32).tobytes().hex()))
        v = self.fresh()
        self.lines.append("  %s = arith.constant dense_resource<%s> : %s" % (
            v, key, self.ty(array.shape)))
        return v

    def filled(self, shape, value):
        e, f = self.fresh(), self.fresh()
        self.lines.append("  %s = tensor.empty() : %s" % (e, self.ty(shape)))
        self.lines.append("  %s = linalg.fill ins(%s : f32) outs(%s : %s) -> %s"
                          % (f, value, e, self.ty(shape), self.ty(shape)))
        return f

    def pad(self, v, shape, amount, value):
        out = [shape[0], shape[1], shape[2] + 2 * amount,
               shape[3] + 2 * amount]
        r = self.fresh()
        self.lines += [
            "  %s = tensor.pad %s low[0, 0, %d, %d] high[0, 0, %d, %d] {" % (
                r, v, amount, amount, amount, amount),
            "  ^bb0(%i0: index, %i1: index, %i2: index, %i3: index):",
            "    tensor.yield %s : f32" % value,
            "  } : %s to %s" % (self.ty(shape), self.ty(out))]
        return r, out

    def conv(self, v, shape, wname, w, stride, pad):
        if pad:
            v, shape = self.pad(v, shape, pad, "%zero")
        f, _, k, _ = w.shape
        out = [shape[0], f, (shape[2] - k) // stride + 1,
               (shape[3] - k) // stride + 1]
        init = self.filled(out, "%zero")
        r = self.fresh()
        self.lines.append(
            "  %s = linalg.conv_2d_nchw_fchw {dilations = dense<1> : "
            "tensor<2xi64>, strides = dense<%d> : tensor<2xi64>} ins(%s, %s : "
            "%s, %s) outs(%s : %s) -> %s" % (
                r, stride, v, wname, self.ty(shape), self.ty(w.shape),
                init, self.ty(out), self.ty(out)))
        return r, out

    def elementwise(self, ins, shape, body, per_channel=()):
        """linalg.generic over NCHW; `ins` are full tensors, then the 1-D
        per-channel constants; body gets the block argument names."""
        e, r = self.fresh(), self.fresh()
        self.lines.append("  %s = tensor.empty() : %s" % (e, self.ty(shape)))
        maps = ["#id"] * len(ins) + ["#ch"] * len(per_channel) + ["#id"]
        args = ["%%a%d" % i for i in range(len(ins) + len(per_channel))]
        types = [self.ty(shape)] * len(ins) + [
            "tensor<%dxf32>" % shape[1]] * len(per_channel)
        self.lines += [
            "  %s = linalg.generic {indexing_maps = [%s], iterator_types = "
            "[\"parallel\", \"parallel\", \"parallel\", \"parallel\"]} "
            "ins(%s : %s) outs(%s : %s) {" % (
                r, ", ".join(maps), ", ".join(list(ins) + list(per_channel)),
                ", ".join(types), e, self.ty(shape)),
            "  ^bb0(%s, %%o: f32):" % ", ".join(a + ": f32" for a in args)]
        self.lines += ["    " + line for line in body(args)]
        self.lines.append("  } -> %s" % self.ty(shape))
        return r

    def bn(self, v, shape, p, name):
        scale = p[name + ".gamma"] / np.sqrt(p[name + ".var"] + EPS)
        consts = [self.const(name + ".mean", p[name + ".mean"]),
                  self.const(name + ".scale", scale),
                  self.const(name + ".beta", p[name + ".beta"])]
        return self.elementwise([v], shape, lambda a: [
            "%%d = arith.subf %s, %s : f32" % (a[0], a[1]),
            "%%s = arith.mulf %%d, %s : f32" % a[2],
            "%%y = arith.addf %%s, %s : f32" % a[3],
            "linalg.yield %y : f32"], consts)

    def relu(self, v, shape):
        return self.elementwise([v], shape, lambda a: [
            "%%y = arith.maximumf %s, %%zero : f32" % a[0],
            "linalg.yield %y : f32"])

    def add_relu(self, x, y, shape):
        s = self.elementwise([x, y], shape, lambda a: [
            "%%y = arith.addf %s, %s : f32" % (a[0], a[1]),
            "linalg.yield %y : f32"])
        return self.relu(s, shape)


def emit_mlir(p, blocks, size, classes):
    m = MLIR()
    shape = [1, 3, size, size]
    m.lines.append("func.func @predict(%%x: %s) -> tensor<1x%dxf32> {" % (
        m.ty(shape), classes))
    m.lines.append("  %zero = arith.constant 0.0 : f32")
    m.lines.append("  %ninf = arith.constant 0xFF800000 : f32")

    def conv_bn(v, shape, name, wkey, bnkey, stride, pad):
        v, shape = m.conv(v, shape, m.const(wkey, p[wkey]), p[wkey], stride,
                          pad)
        return m.bn(v, shape, p, bnkey), shape

    v, shape = conv_bn("%x", shape, "conv1", "conv1.w", "bn1", 2, 3)
    v = m.relu(v, shape)
    # 3x3 stride-2 max pool, padding 1 (-inf).
    v, padded = m.pad(v, shape, 1, "%ninf")
    out = [1, shape[1], (padded[2] - 3) // 2 + 1, (padded[3] - 3) // 2 + 1]
    init = m.filled(out, "%ninf")
    win, r = m.fresh(), m.fresh()
    m.lines.append("  %s = tensor.empty() : tensor<3x3xf32>" % win)
    m.lines.append(
        "  %s = linalg.pooling_nchw_max {dilations = dense<1> : tensor<2xi64>,"
        " strides = dense<2> : tensor<2xi64>} ins(%s, %s : %s, tensor<3x3xf32>)"
        " outs(%s : %s) -> %s" % (r, v, win, m.ty(padded), init, m.ty(out),
                                  m.ty(out)))
    v, shape = r, out
    for name, _, _, stride, down in blocks:
        h, hshape = conv_bn(v, shape, name, name + ".conv1.w", name + ".bn1",
                            stride, 1)
        h = m.relu(h, hshape)
        h, hshape = conv_bn(h, hshape, name, name + ".conv2.w", name + ".bn2",
                            1, 1)
        if down:
            v, shape = conv_bn(v, shape, name, name + ".down.w",
                               name + ".downbn", stride, 0)
        v = m.add_relu(h, v, hshape)
        shape = hshape
    # Global average pool: sum over the window, times 1 / (H W), flatten.
    c, hw = shape[1], shape[2]
    init = m.filled([1, c, 1, 1], "%zero")
    win, r = m.fresh(), m.fresh()
    m.lines.append("  %s = tensor.empty() : tensor<%dx%dxf32>" % (win, hw, hw))
    m.lines.append(
        "  %s = linalg.pooling_nchw_sum {dilations = dense<1> : tensor<2xi64>,"
        " strides = dense<1> : tensor<2xi64>} ins(%s, %s : %s, "
        "tensor<%dx%dxf32>) outs(%s : tensor<1x%dx1x1xf32>) -> "
        "tensor<1x%dx1x1xf32>" % (r, v, win, m.ty(shape), hw, hw, init, c, c))
    mean = m.elementwise([r], [1, c, 1, 1], lambda a: [
        "%%k = arith.constant %.9e : f32" % (1.0 / (hw * hw)),
        "%%y = arith.mulf %s, %%k : f32" % a[0], "linalg.yield %y : f32"])
    flat = m.fresh()
    m.lines.append("  %s = tensor.collapse_shape %s [[0], [1, 2, 3]] : "
                   "tensor<1x%dx1x1xf32> into tensor<1x%dxf32>" % (
                       flat, mean, c, c))
    fcw = m.const("fc.wt", np.ascontiguousarray(p["fc.w"].T))
    fcb = m.const("fc.b", p["fc.b"])
    e, init, mm, e2, y = (m.fresh() for _ in range(5))
    m.lines += [
        "  %s = tensor.empty() : tensor<1x%dxf32>" % (e, classes),
        "  %s = linalg.fill ins(%%zero : f32) outs(%s : tensor<1x%dxf32>) -> "
        "tensor<1x%dxf32>" % (init, e, classes, classes),
        "  %s = linalg.matmul ins(%s, %s : tensor<1x%dxf32>, tensor<%dx%dxf32>)"
        " outs(%s : tensor<1x%dxf32>) -> tensor<1x%dxf32>" % (
            mm, flat, fcw, c, c, classes, init, classes, classes),
        "  %s = tensor.empty() : tensor<1x%dxf32>" % (e2, classes),
        "  %s = linalg.generic {indexing_maps = [#id2, #col, #id2], "
        "iterator_types = [\"parallel\", \"parallel\"]} ins(%s, %s : "
        "tensor<1x%dxf32>, tensor<%dxf32>) outs(%s : tensor<1x%dxf32>) {" % (
            y, mm, fcb, classes, classes, e2, classes),
        "  ^bb0(%a: f32, %b: f32, %o: f32):",
        "    %s = arith.addf %a, %b : f32",
        "    linalg.yield %s : f32",
        "  } -> tensor<1x%dxf32>" % classes,
        "  return %s : tensor<1x%dxf32>" % (y, classes),
        "}"]
    header = [
        "// ResNet-18 (generated by examples/resnet18/resnet18.py).",
        "#id = affine_map<(n, c, h, w) -> (n, c, h, w)>",
        "#ch = affine_map<(n, c, h, w) -> (c)>",
        "#id2 = affine_map<(m, n) -> (m, n)>",
        "#col = affine_map<(m, n) -> (n)>"]
    footer = ["{-#", "  dialect_resources: {", "    builtin: {",
              ",\n".join(m.blobs), "    }", "  }", "#-}"]
    return "\n".join(header + m.lines + footer) + "\n"


# --------------------------------------------------------------------------
# ONNX
# --------------------------------------------------------------------------

def onnx_head(nodes, inits, init, p, v, name, size, classes):
    """Global average pool, flatten and the fp32 fully connected layer after
    `v`; returns the model (opset 13)."""
    from onnx import TensorProto, helper
    nodes.append(helper.make_node("GlobalAveragePool", [v], ["gap"]))
    nodes.append(helper.make_node("Flatten", ["gap"], ["flat"]))
    nodes.append(helper.make_node("Gemm", ["flat", init("fc.w", p["fc.w"]),
                                           init("fc.b", p["fc.b"])], ["y"],
                                  transB=1))
    graph = helper.make_graph(
        nodes, name,
        [helper.make_tensor_value_info("x", TensorProto.FLOAT,
                                       [1, 3, size, size])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, classes])],
        inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 8
    return model


def emit_onnx(p, blocks, size, classes):
    from onnx import helper, numpy_helper
    nodes, inits = [], []

    def init(name, array):
        inits.append(numpy_helper.from_array(array, name))
        return name

    def conv_bn_relu(x, name, wkey, bnkey, stride, pad, relu):
        k = p[wkey].shape[2]
        nodes.append(helper.make_node(
            "Conv", [x, init(wkey, p[wkey])], [name + ".c"],
            kernel_shape=[k, k], strides=[stride, stride], pads=[pad] * 4))
        nodes.append(helper.make_node(
            "BatchNormalization",
            [name + ".c", init(bnkey + ".gamma", p[bnkey + ".gamma"]),
             init(bnkey + ".beta", p[bnkey + ".beta"]),
             init(bnkey + ".mean", p[bnkey + ".mean"]),
             init(bnkey + ".var", p[bnkey + ".var"])], [name + ".bn"],
            epsilon=EPS))
        if not relu:
            return name + ".bn"
        nodes.append(helper.make_node("Relu", [name + ".bn"], [name + ".r"]))
        return name + ".r"

    v = conv_bn_relu("x", "stem", "conv1.w", "bn1", 2, 3, True)
    nodes.append(helper.make_node("MaxPool", [v], ["pool"], kernel_shape=[3, 3],
                                  strides=[2, 2], pads=[1, 1, 1, 1]))
    v = "pool"
    for name, _, _, stride, down in blocks:
        h = conv_bn_relu(v, name + ".1", name + ".conv1.w", name + ".bn1",
                         stride, 1, True)
        h = conv_bn_relu(h, name + ".2", name + ".conv2.w", name + ".bn2", 1,
                         1, False)
        if down:
            v = conv_bn_relu(v, name + ".d", name + ".down.w",
                             name + ".downbn", stride, 0, False)
        nodes.append(helper.make_node("Add", [h, v], [name + ".add"]))
        nodes.append(helper.make_node("Relu", [name + ".add"], [name + ".out"]))
        v = name + ".out"
    return onnx_head(nodes, inits, init, p, v, "resnet18", size, classes)


def emit_onnx_int8(p, blocks, size, classes, ranges):
    """QDQ model: Q/DQ on every quantized activation, DQ on weights."""
    from onnx import helper, numpy_helper
    nodes, inits = [], []

    def init(name, array):
        inits.append(numpy_helper.from_array(array, name))
        return name

    def act_qparams(key):
        lo, hi = ranges[key]
        lo, hi = min(lo, 0.0), max(hi, 0.0)
        scale = max(hi - lo, 1e-8) / 255.0
        zp = int(np.clip(round(-lo / scale), 0, 255))
        return np.float32(scale), np.uint8(zp)

    def qdq(x, key, name=None):
        name = name or key
        scale, zp = act_qparams(key)
        s = init(name + ".s", np.array(scale, np.float32))
        z = init(name + ".z", np.array(zp, np.uint8))
        nodes.append(helper.make_node("QuantizeLinear", [x, s, z],
                                      [name + ".q"]))
        nodes.append(helper.make_node("DequantizeLinear", [name + ".q", s, z],
                                      [name + ".dq"]))
        return name + ".dq", scale

    def conv(x, xscale, name, wkey, bnkey, stride, pad):
        scale = p[bnkey + ".gamma"] / np.sqrt(p[bnkey + ".var"] + EPS)
        w = p[wkey] * scale[:, None, None, None]
        b = p[bnkey + ".beta"] - p[bnkey + ".mean"] * scale
        ws = np.maximum(np.abs(w).reshape(w.shape[0], -1).max(1), 1e-8) / 127
        wq = np.clip(np.round(w / ws[:, None, None, None]), -127, 127)
        nodes.append(helper.make_node(
            "DequantizeLinear",
            [init(name + ".wq", wq.astype(np.int8)),
             init(name + ".ws", ws.astype(np.float32)),
             init(name + ".wz", np.zeros(len(ws), np.int8))],
            [name + ".w"], axis=0))
        bs = (xscale * ws).astype(np.float32)
        nodes.append(helper.make_node(
            "DequantizeLinear",
            [init(name + ".bq", np.round(b / bs).astype(np.int32)),
             init(name + ".bs", bs), init(name + ".bz",
                                          np.zeros(len(bs), np.int32))],
            [name + ".b"], axis=0))
        k = w.shape[2]
        nodes.append(helper.make_node(
            "Conv", [x, name + ".w", name + ".b"], [name + ".c"],
            kernel_shape=[k, k], strides=[stride, stride], pads=[pad] * 4))
        return name + ".c"

    v, s = qdq("x", "input")
    c = conv(v, s, "stem", "conv1.w", "bn1", 2, 3)
    nodes.append(helper.make_node("Relu", [c], ["stem.r"]))
    v, s = qdq("stem.r", "stem")
    nodes.append(helper.make_node("MaxPool", [v], ["pool"], kernel_shape=[3, 3],
                                  strides=[2, 2], pads=[1, 1, 1, 1]))
    v, s = qdq("pool", "stem", "pool")  # max pool keeps the scale
    for name, _, _, stride, down in blocks:
        h = conv(v, s, name + ".1", name + ".conv1.w", name + ".bn1", stride, 1)
        nodes.append(helper.make_node("Relu", [h], [name + ".r1"]))
        h, hs = qdq(name + ".r1", name + ".relu1")
        h = conv(h, hs, name + ".2", name + ".conv2.w", name + ".bn2", 1, 1)
        h, _ = qdq(h, name + ".conv2")
        if down:
            d = conv(v, s, name + ".d", name + ".down.w", name + ".downbn",
                     stride, 0)
            v, _ = qdq(d, name + ".down")
        nodes.append(helper.make_node("Add", [h, v], [name + ".add"]))
        nodes.append(helper.make_node("Relu", [name + ".add"], [name + ".r"]))
        v, s = qdq(name + ".r", name + ".out")
    return onnx_head(nodes, inits, init, p, v, "resnet18_int8", size, classes)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out_dir")
    ap.add_argument("--width", type=int, default=64)
    ap.add_argument("--size", type=int, default=224)
    ap.add_argument("--classes", type=int, default=1000)
    ap.add_argument("--calibration", type=int, default=8)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--no-onnx", action="store_true",
                    help="write only the MLIR model and the inputs")
    args = ap.parse_args()
    if args.width < 1 or args.size < 32 or args.classes < 1 or \
            args.calibration < 1:
        sys.exit("resnet18.py: --width >= 1, --size >= 32, --classes >= 1, "
                 "--calibration >= 1")
    os.makedirs(args.out_dir, exist_ok=True)
    rng = np.random.default_rng(args.seed)
    p, blocks = make_weights(args.width, args.classes, rng)
    # Batch-norm statistics from enough samples that the last stage (1x1
    # spatial at 32x32 inputs) sees more than a handful of values.
    bn_samples = max(8, 65536 // (args.size * args.size))
    forward(p, blocks, rng.standard_normal(
        (bn_samples, 3, args.size, args.size)).astype(np.float32),
        calibrate=True)
    calib = rng.standard_normal(
        (args.calibration, 3, args.size, args.size)).astype(np.float32)
    ranges = {}

    def record(name, value):
        lo, hi = float(value.min()), float(value.max())
        old = ranges.get(name, (lo, hi))
        ranges[name] = (min(lo, old[0]), max(hi, old[1]))

    forward(p, blocks, calib, record=record)
    for k in range(args.calibration):
        np.save(os.path.join(args.out_dir, "calib_%d.npy" % k), calib[k:k + 1])
    x = rng.standard_normal((1, 3, args.size, args.size)).astype(np.float32)
    np.save(os.path.join(args.out_dir, "x.npy"), x)
    np.save(os.path.join(args.out_dir, "reference.npy"), forward(p, blocks, x))
    with open(os.path.join(args.out_dir, "model.mlir"), "w") as f:
        f.write(emit_mlir(p, blocks, args.size, args.classes))
    if not args.no_onnx:
        import onnx
        onnx.save(emit_onnx(p, blocks, args.size, args.classes),
                  os.path.join(args.out_dir, "model.onnx"))
        onnx.save(emit_onnx_int8(p, blocks, args.size, args.classes, ranges),
                  os.path.join(args.out_dir, "model.int8.onnx"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
