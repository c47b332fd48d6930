#!/usr/bin/python3
"""Benchmark: compress-to-llvm code against numpy/OpenBLAS, PyTorch and ONNX
Runtime, side by side in one run.

Usage:
    benchmarks/codegen.py [--bin build/bin] [--repeat N] [--ort DIR]
                          [--only WORKLOAD,...] [--threads 1,2]
                          [--baseline-bin OTHER/bin] [--markdown OUT.md]
                          [--plot OUT.png]

With --baseline-bin, the compress-run of another build (an earlier commit)
lowers and times the same prepared models in the same rounds, so a change
to the code generator is compared with what it replaces side by side.

Workloads, in fp32 and int8, 1 and 2 threads:
  gemm      1024^3, activation x constant weight, f32 in and out (int8:
            quantize, integer GEMM, dequantize, all timed);
  gemm-i8   the integer GEMM alone: i8 activation x constant i8 weight ->
            i32 (int8 only; ORT MatMulInteger u8 x s8 -> i32, torch's
            quantized Linear on a quantized input, u8 out);
  conv-i8   that convolution alone: i8 NHWC activation x constant i8
            weight, requantized to i8 (int8 only; ORT QLinearConv, u8
            NCHW in and out; torch's quantized Conv2d on a quantized
            channels_last input, u8 out);
  gemm-bf16 the GEMM in bf16 (bf16 only): f32 input rounded to bf16, bf16
            weight, f32 accumulation and output (torch: the same bf16
            matmul, converting its input and output; on CPUs without
            AVX512_BF16 both run on fp32 FMAs);
  conv      3x3, 64->64, 56x56 output, batch 1, NCHW f32 in and out (ours
            stores it channels last inside: the transposes are timed);
  conv-nhwc the same convolution with NHWC input and output (as TOSA or
            torch's channels_last give it);
  mlp, cnn  the digits examples (examples/digits: MLP 64-64-32-10, CNN
            conv 8 - pool - conv 16 - fc) on the 360 held-out images as
            one batch; int8 calibrated on the training images; the peers
            run them in fp32 (numpy for the MLP, torch, ORT);
  resnet18  ResNet-18, batch 1, 224x224, random weights
            (examples/resnet18/resnet18.py), batch norms folded.
Ours: compress-opt (int8: static quantization calibrated with
compress-instrument + compress-run --calibration-out) then compress-run
--repeat N with --compress-to-llvm-options=threads=T. Peers, each in its own
process with the same pinning: numpy (OpenBLAS) fp32 matmul; torch fp32
matmul and conv2d (channels_last) and torch int8 (onednn quantized engine:
u8 activations x s8 weights) over the same f32 boundary as ours
(quantize_per_tensor, the quantized op, dequantize); ONNX Runtime 1.30
(onnxruntime-node, through benchmarks/ort_run.js) on the same networks as
ONNX: fp32, and int8 in the QDQ form its quantizer writes (fused by ORT
into QLinearConv / QLinearMatMul / MatMulIntegerToFloat). Every figure is
the median of N timed calls after a warm-up call, pinned with taskset to
CPU 0 (1 thread) or CPUs 0,1; the contenders take turns for --rounds
rounds and each reports the fastest of its round medians, the round least
disturbed by the host (this shared machine's speed drifts by 10-50% for
minutes at a time; every round's figure is printed).

Also measured: the machine's peak (benchmarks/peak.c: vfmadd231ps and
vpdpbusd throughput, 1 and 2 threads) and the compile time of ResNet-18
through compress-opt --compress-fold-batchnorm --compress-to-llvm.
"""

import argparse
import collections
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "benchmarks"))
from quantize import calibrate, conv_model, matmul_model, run  # noqa: E402

WORKLOADS = ("gemm", "gemm-i8", "gemm-bf16", "conv", "conv-nhwc", "conv-i8",
             "mlp", "cnn", "resnet18")
DTYPES = {"gemm": ("fp32", "int8"), "gemm-i8": ("int8",), "conv-i8": ("int8",),
          "gemm-bf16": ("bf16",), "mlp": ("fp32", "int8"),
          "cnn": ("fp32", "int8"),
          "conv": ("fp32", "int8"), "conv-nhwc": ("fp32", "int8"),
          "resnet18": ("fp32", "int8")}

TORCH = r"""
import json, sys, time
import numpy as np
import torch
threads, repeat, workdir = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
torch.set_num_threads(threads)
torch.backends.quantized.engine = "onednn"
def median(fn):
    fn()
    times = []
    for _ in range(repeat):
        t = time.perf_counter(); fn(); times.append(time.perf_counter() - t)
    return float(np.median(times)) * 1e3
a = np.load(workdir + "/gemm_x.npy"); b = np.load(workdir + "/gemm_w.npy")
x = np.load(workdir + "/conv_x.npy"); w = np.load(workdir + "/conv_w.npy")
out = {}
out["gemm fp32/numpy"] = median(lambda: a @ b)
ta, tb = torch.from_numpy(a), torch.from_numpy(b)
with torch.no_grad():
    out["gemm fp32/torch"] = median(lambda: ta @ tb)
    conv = torch.nn.Conv2d(64, 64, 3, bias=False).eval()
    conv.weight.copy_(torch.from_numpy(w))
    tx = torch.from_numpy(x).to(memory_format=torch.channels_last)
    conv = conv.to(memory_format=torch.channels_last)
    for key in ("conv fp32/torch", "conv-nhwc fp32/torch"):
        out[key] = median(lambda: conv(tx))
    qlin = torch.ao.nn.quantized.Linear(1024, 1024, bias_=False)
    qlin.set_weight_bias(torch.quantize_per_tensor(tb.T.contiguous(), 0.01, 0, torch.qint8), None)
    qa = torch.quantize_per_tensor(ta, 0.05, 128, torch.quint8)
    out["gemm-i8 int8/torch"] = median(lambda: qlin(qa))
    tb16 = tb.bfloat16()
    out["gemm-bf16 bf16/torch"] = median(lambda: (ta.bfloat16() @ tb16).float())
    out["gemm int8/torch"] = median(lambda: qlin(
        torch.quantize_per_tensor(ta, 0.05, 128, torch.quint8)).dequantize())
    qconv = torch.ao.nn.quantized.Conv2d(64, 64, 3, bias=False)
    qconv.set_weight_bias(torch.quantize_per_tensor(conv.weight.contiguous(), 0.01, 0, torch.qint8), None)
    qx = torch.quantize_per_tensor(tx, 0.05, 128, torch.quint8)
    out["conv-i8 int8/torch"] = median(lambda: qconv(qx))
    for key, xin in (("conv int8/torch", torch.from_numpy(x)),
                     ("conv-nhwc int8/torch", tx)):
        out[key] = median(lambda: qconv(torch.quantize_per_tensor(
            xin, 0.05, 128, torch.quint8)).dequantize())
    d = np.load(workdir + "/digits.npz")
    xd = torch.from_numpy(d["x"])
    ws = {k: torch.from_numpy(d[k]) for k in d.files}
    def mlp():
        h = torch.relu(xd @ ws["w1"] + ws["b1"])
        h = torch.relu(h @ ws["w2"] + ws["b2"])
        return h @ ws["w3"] + ws["b3"]
    F = torch.nn.functional
    def cnn():
        h = F.relu(F.conv2d(xd.reshape(-1, 1, 8, 8), ws["conv1_w"], ws["conv1_b"], padding=1))
        h = F.max_pool2d(h, 2)
        h = F.relu(F.conv2d(h, ws["conv2_w"], ws["conv2_b"], padding=1))
        return h.reshape(h.shape[0], -1) @ ws["fc_w"] + ws["fc_b"]
    out["mlp fp32/torch"] = median(mlp)
    out["cnn fp32/torch"] = median(cnn)
    xn, wn = d["x"], {k: d[k] for k in d.files}
    def mlp_numpy():
        h = np.maximum(xn @ wn["w1"] + wn["b1"], 0)
        h = np.maximum(h @ wn["w2"] + wn["b2"], 0)
        return h @ wn["w3"] + wn["b3"]
    out["mlp fp32/numpy"] = median(mlp_numpy)
print(json.dumps(out))
"""


def digits_weights():
    """The weights of examples/digits/{mlp,cnn}.mlir, by their SSA names."""
    d = os.path.join(ROOT, "examples", "digits")
    with open(os.path.join(d, "mlp.mlir")) as f:
        text = f.read()
    weights = {}
    for name, literal, shape in re.findall(
            r"%(\w+) = arith.constant dense<(\[.*?\])> : tensor<([0-9x]+)xf32>",
            text, re.S):
        weights[name] = np.array(json.loads(literal), np.float32).reshape(
            [int(v) for v in shape.split("x")])
    with open(os.path.join(d, "cnn.mlir")) as f:
        text = f.read()
    blobs = dict(re.findall(r'(\w+): "0x[0-9A-F]{8}([0-9A-F]*)"', text))
    for name, blob, shape in re.findall(
            r"%(\w+) = arith.constant dense_resource<(\w+)> : "
            r"tensor<([0-9x]+)xf32>", text):
        weights[name] = np.frombuffer(bytes.fromhex(blobs[blob]),
                                      np.float32).reshape(
            [int(v) for v in shape.split("x")])
    return weights


def save_onnx(workdir, name, nodes, inits, x_shape, y_shape, x_type=None,
              y_type=None):
    """Writes the ONNX model (opset 13) of `nodes` with initializers
    `inits`, input "x" and output "y" (f32 unless given), and returns its
    path."""
    import onnx
    from onnx import TensorProto, helper, numpy_helper
    graph = helper.make_graph(
        nodes, name,
        [helper.make_tensor_value_info("x", x_type or TensorProto.FLOAT,
                                       x_shape)],
        [helper.make_tensor_value_info("y", y_type or TensorProto.FLOAT,
                                       y_shape)],
        [numpy_helper.from_array(np.ascontiguousarray(v), k)
         for k, v in inits.items()])
    model = helper.make_model(graph,
                              opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 8
    path = os.path.join(workdir, name + ".onnx")
    onnx.save(model, path)
    return path


def digits_onnx(workdir, w):
    """fp32 ONNX models of the digits MLP and CNN (batch 360)."""
    from onnx import helper

    def save(name, nodes, inits):
        return save_onnx(workdir, name, nodes, inits, [360, 64], [360, 10])

    node = helper.make_node
    mlp = [node("MatMul", ["x", "w1"], ["m1"]), node("Add", ["m1", "b1"], ["a1"]),
           node("Relu", ["a1"], ["h1"]), node("MatMul", ["h1", "w2"], ["m2"]),
           node("Add", ["m2", "b2"], ["a2"]), node("Relu", ["a2"], ["h2"]),
           node("MatMul", ["h2", "w3"], ["m3"]), node("Add", ["m3", "b3"], ["y"])]
    cnn = [node("Reshape", ["x", "s1"], ["x4"]),
           node("Conv", ["x4", "conv1_w", "conv1_b"], ["c1"], pads=[1, 1, 1, 1]),
           node("Relu", ["c1"], ["r1"]),
           node("MaxPool", ["r1"], ["p1"], kernel_shape=[2, 2], strides=[2, 2]),
           node("Conv", ["p1", "conv2_w", "conv2_b"], ["c2"], pads=[1, 1, 1, 1]),
           node("Relu", ["c2"], ["r2"]), node("Reshape", ["r2", "s2"], ["f"]),
           node("MatMul", ["f", "fc_w"], ["m"]), node("Add", ["m", "fc_b"], ["y"])]
    shapes = {"s1": np.array([360, 1, 8, 8], np.int64),
              "s2": np.array([360, 256], np.int64)}
    return {
        "mlp fp32": save("mlp", mlp, {k: w[k] for k in
                                      ("w1", "b1", "w2", "b2", "w3", "b3")}),
        "cnn fp32": save("cnn", cnn, dict(shapes, **{
            k: w[k] for k in ("conv1_w", "conv1_b", "conv2_w", "conv2_b",
                              "fc_w", "fc_b")})),
    }


def onnx_models(workdir, x_gemm, w_gemm, x_conv, w_conv, w_i8, wc_i8):
    """fp32 and QDQ int8 ONNX models of the gemm and the conv, the integer
    GEMM (MatMulInteger, u8 input with zero point 128 x `w_i8`) and the
    integer conv (QLinearConv, u8 in and out, FCHW weight `wc_i8`); returns
    {workload dtype: path}."""
    from onnx import TensorProto, helper

    def save(name, nodes, inits, x_shape, y_shape, x_type=None,
             y_type=None):
        return save_onnx(workdir, name, nodes, inits, x_shape, y_shape,
                         x_type, y_type)

    def qparams(a):
        lo, hi = min(float(a.min()), 0.0), max(float(a.max()), 0.0)
        s = (hi - lo) / 255
        return np.array(s, np.float32), np.array(round(-lo / s), np.uint8)

    def qdq_input(inits, nodes, x):
        s, z = qparams(x)
        inits.update({"xs": s, "xz": z})
        nodes += [helper.make_node("QuantizeLinear", ["x", "xs", "xz"], ["xq"]),
                  helper.make_node("DequantizeLinear", ["xq", "xs", "xz"],
                                   ["xd"])]

    def qdq_weight(inits, nodes, w, axis):
        flat = np.moveaxis(w, axis, 0).reshape(w.shape[axis], -1)
        ws = (np.abs(flat).max(1) / 127).astype(np.float32)
        shape = [1] * w.ndim
        shape[axis] = -1
        inits["wq"] = np.clip(np.round(w / ws.reshape(shape)), -127,
                              127).astype(np.int8)
        inits["ws"] = ws
        inits["wz"] = np.zeros(len(ws), np.int8)
        nodes.append(helper.make_node("DequantizeLinear", ["wq", "ws", "wz"],
                                      ["wd"], axis=axis))

    def qdq_output(inits, nodes, y, src):
        s, z = qparams(y)
        inits.update({"ys": s, "yz": z})
        nodes += [helper.make_node("QuantizeLinear", [src, "ys", "yz"],
                                   ["yq"]),
                  helper.make_node("DequantizeLinear", ["yq", "ys", "yz"],
                                   ["y"])]

    paths = {}
    y_gemm = x_gemm @ w_gemm
    paths["gemm fp32"] = save(
        "gemm_fp32", [helper.make_node("MatMul", ["x", "w"], ["y"])],
        {"w": w_gemm}, [1024, 1024], [1024, 1024])
    nodes, inits = [], {}
    qdq_input(inits, nodes, x_gemm)
    qdq_weight(inits, nodes, w_gemm, 1)
    nodes.append(helper.make_node("MatMul", ["xd", "wd"], ["mm"]))
    qdq_output(inits, nodes, y_gemm, "mm")
    paths["gemm int8"] = save("gemm_int8", nodes, inits, [1024, 1024],
                              [1024, 1024])
    paths["gemm-i8 int8"] = save(
        "gemm_i8", [helper.make_node("MatMulInteger", ["x", "w", "xz"],
                                     ["y"])],
        {"w": w_i8, "xz": np.array(128, np.uint8)}, [1024, 1024],
        [1024, 1024], TensorProto.UINT8, TensorProto.INT32)

    import torch
    y_conv = torch.nn.functional.conv2d(torch.from_numpy(x_conv),
                                        torch.from_numpy(w_conv)).numpy()
    conv = dict(kernel_shape=[3, 3])
    paths["conv fp32"] = save(
        "conv_fp32", [helper.make_node("Conv", ["x", "w"], ["y"], **conv)],
        {"w": w_conv}, list(x_conv.shape), list(y_conv.shape))
    nodes, inits = [], {}
    qdq_input(inits, nodes, x_conv)
    qdq_weight(inits, nodes, w_conv, 0)
    nodes.append(helper.make_node("Conv", ["xd", "wd"], ["c"], **conv))
    qdq_output(inits, nodes, y_conv, "c")
    paths["conv int8"] = save("conv_int8", nodes, inits, list(x_conv.shape),
                              list(y_conv.shape))
    paths["conv-i8 int8"] = save(
        "conv_i8", [helper.make_node(
            "QLinearConv", ["x", "xs", "xz", "w", "ws", "wz", "ys", "yz"],
            ["y"], **conv)],
        {"xs": np.array(CONV_I8_SCALES[0], np.float32),
         "xz": np.array(128, np.uint8), "w": wc_i8,
         "ws": np.array(CONV_I8_SCALES[1], np.float32),
         "wz": np.array(0, np.int8),
         "ys": np.array(CONV_I8_SCALES[2], np.float32),
         "yz": np.array(128, np.uint8)},
        list(x_conv.shape), list(y_conv.shape), TensorProto.UINT8,
        TensorProto.UINT8)
    return paths


def with_resource(text, name, array, alignment):
    """`text` followed by the dialect_resources section that holds `array`
    as the blob `name` (a little-endian alignment word, then the data)."""
    data = np.ascontiguousarray(array).tobytes()
    return text + ('{-#\n  dialect_resources: {\n    builtin: {\n'
                   '      %s: "0x%s%s"\n    }\n  }\n#-}\n' % (
                       name, alignment.to_bytes(4, "little").hex().upper(),
                       data.hex().upper()))


# Scales of the integer conv: activation, weight, output.
CONV_I8_SCALES = (0.05, 0.01, 0.1)


def int8_conv_model(w):
    """The integer conv: i8 NHWC [1, 58, 58, C] x the constant i8 HWCF `w`
    -> i32, requantized to i8 (round half to even, saturate) with the
    combined scale of CONV_I8_SCALES."""
    kh, kw, c, f = w.shape
    xs, ws, ys = CONV_I8_SCALES
    return with_resource("""func.func @predict(%%x: tensor<1x58x58x%(c)dxi8>) -> tensor<1x56x56x%(f)dxi8> {
  %%w = arith.constant dense_resource<w> : tensor<%(kh)dx%(kw)dx%(c)dx%(f)dxi8>
  %%e = tensor.empty() : tensor<1x56x56x%(f)dxi32>
  %%z = arith.constant 0 : i32
  %%i = linalg.fill ins(%%z : i32) outs(%%e : tensor<1x56x56x%(f)dxi32>) -> tensor<1x56x56x%(f)dxi32>
  %%acc = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
      ins(%%x, %%w : tensor<1x58x58x%(c)dxi8>, tensor<%(kh)dx%(kw)dx%(c)dx%(f)dxi8>) outs(%%i : tensor<1x56x56x%(f)dxi32>) -> tensor<1x56x56x%(f)dxi32>
  %%e8 = tensor.empty() : tensor<1x56x56x%(f)dxi8>
  %%m = arith.constant %(m).9e : f32
  %%lo = arith.constant -128.0 : f32
  %%hi = arith.constant 127.0 : f32
  %%y = linalg.generic {indexing_maps = [affine_map<(n, h, w, f) -> (n, h, w, f)>, affine_map<(n, h, w, f) -> (n, h, w, f)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%%acc : tensor<1x56x56x%(f)dxi32>) outs(%%e8 : tensor<1x56x56x%(f)dxi8>) {
  ^bb0(%%a: i32, %%o: i8):
    %%v = arith.sitofp %%a : i32 to f32
    %%s = arith.mulf %%v, %%m : f32
    %%r = math.roundeven %%s : f32
    %%c1 = arith.maximumf %%r, %%lo : f32
    %%c2 = arith.minimumf %%c1, %%hi : f32
    %%q = arith.fptosi %%c2 : f32 to i32
    %%t = arith.trunci %%q : i32 to i8
    linalg.yield %%t : i8
  } -> tensor<1x56x56x%(f)dxi8>
  return %%y : tensor<1x56x56x%(f)dxi8>
}
""" % dict(kh=kh, kw=kw, c=c, f=f, m=xs * ws / ys), "w", w, 1)


def bf16_matmul_model(w):
    """The GEMM in bf16: the f32 input rounded to bf16, times the constant
    `w` rounded to bf16 (nearest even), accumulated in f32."""
    bits = np.ascontiguousarray(w, np.float32).view(np.uint32)
    bf16 = ((bits + 0x7FFF + ((bits >> 16) & 1)) >> 16).astype(np.uint16)
    k, n = w.shape
    return with_resource("""func.func @predict(%%x: tensor<1024x%(k)dxf32>) -> tensor<1024x%(n)dxf32> {
  %%eb = tensor.empty() : tensor<1024x%(k)dxbf16>
  %%a = linalg.generic {indexing_maps = [affine_map<(m, k) -> (m, k)>, affine_map<(m, k) -> (m, k)>], iterator_types = ["parallel", "parallel"]}
      ins(%%x : tensor<1024x%(k)dxf32>) outs(%%eb : tensor<1024x%(k)dxbf16>) {
  ^bb0(%%v: f32, %%o: bf16):
    %%t = arith.truncf %%v : f32 to bf16
    linalg.yield %%t : bf16
  } -> tensor<1024x%(k)dxbf16>
  %%w = arith.constant dense_resource<w> : tensor<%(k)dx%(n)dxbf16>
  %%e = tensor.empty() : tensor<1024x%(n)dxf32>
  %%z = arith.constant 0.0 : f32
  %%c = linalg.fill ins(%%z : f32) outs(%%e : tensor<1024x%(n)dxf32>) -> tensor<1024x%(n)dxf32>
  %%y = linalg.generic {indexing_maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (k, n)>, affine_map<(m, n, k) -> (m, n)>], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%%a, %%w : tensor<1024x%(k)dxbf16>, tensor<%(k)dx%(n)dxbf16>) outs(%%c : tensor<1024x%(n)dxf32>) {
  ^bb0(%%p: bf16, %%q: bf16, %%acc: f32):
    %%pe = arith.extf %%p : bf16 to f32
    %%qe = arith.extf %%q : bf16 to f32
    %%m = arith.mulf %%pe, %%qe : f32
    %%s = arith.addf %%acc, %%m : f32
    linalg.yield %%s : f32
  } -> tensor<1024x%(n)dxf32>
  return %%y : tensor<1024x%(n)dxf32>
}
""" % dict(k=k, n=n), "w", bf16, 2)


def int8_matmul_model(w):
    """The integer GEMM: i8 [1024, K] x the constant i8 `w` -> i32."""
    k, n = w.shape
    return with_resource("""func.func @predict(%%x: tensor<1024x%(k)dxi8>) -> tensor<1024x%(n)dxi32> {
  %%w = arith.constant dense_resource<w> : tensor<%(k)dx%(n)dxi8>
  %%e = tensor.empty() : tensor<1024x%(n)dxi32>
  %%z = arith.constant 0 : i32
  %%i = linalg.fill ins(%%z : i32) outs(%%e : tensor<1024x%(n)dxi32>) -> tensor<1024x%(n)dxi32>
  %%y = linalg.matmul ins(%%x, %%w : tensor<1024x%(k)dxi8>, tensor<%(k)dx%(n)dxi8>) outs(%%i : tensor<1024x%(n)dxi32>) -> tensor<1024x%(n)dxi32>
  return %%y : tensor<1024x%(n)dxi32>
}
""" % dict(k=k, n=n), "w", w, 1)


def prepare_ours(args, tmp, model_path, x_path, quantize,
                 calibration_inputs=None):
    """The model compress-run times: `model_path`, or with `quantize` its
    static quantization calibrated on `calibration_inputs` (or `x_path`)."""
    if not quantize:
        return model_path
    opt = os.path.join(args.bin, "compress-opt")
    runner = os.path.join(args.bin, "compress-run")
    if calibration_inputs:
        instrumented = os.path.join(tmp, "instrumented.mlir")
        calibration = os.path.join(tmp, "calibration.json")
        run([opt, model_path, "--compress-instrument=gram=false", "-o",
             instrumented])
        cmd = [runner, instrumented, "-e", "predict"]
        for path in calibration_inputs:
            cmd += ["--input", path]
        run(cmd + ["--calibration-out", calibration, "--output",
                   os.path.join(tmp, "unused.npy")])
    else:
        calibration = calibrate(opt, runner, tmp, model_path, x_path)
    source = os.path.join(tmp, "quantized.mlir")
    run([opt, model_path, "--compress-quantize=mode=static calibration="
         + calibration, "-o", source])
    return source


def ours(args, source, x_path, out_path, threads, pin, bin_dir=None):
    """Median ms of our compiled `source` on `x_path` (compiled and run by
    the compress-run of `bin_dir`, default --bin)."""
    runner = os.path.join(bin_dir or args.bin, "compress-run")
    out = run(pin + [runner, source, "-e", "predict", "--input", x_path,
                     "--output", out_path, "--repeat", str(args.repeat),
                     "--compress-to-llvm-options=threads=%d" % threads])
    return float(re.search(r"median ([0-9.]+) ms", out).group(1))


def ort(args, model, x_path, threads, pin, out_path=None):
    """Median ms of ONNX Runtime on `model`, or None without ORT or model."""
    if not args.ort or not model:
        return None
    env = dict(os.environ, NODE_PATH=os.path.join(args.ort, "node_modules"))
    cmd = pin + ["node", os.path.join(ROOT, "benchmarks", "ort_run.js"),
                 model, x_path, str(threads), str(args.repeat)]
    if out_path:
        cmd.append(out_path)
    result = subprocess.run(cmd, capture_output=True, text=True, env=env)
    if result.returncode != 0:
        sys.exit("ONNX Runtime failed: %s\n%s" % (" ".join(cmd),
                                                  result.stderr))
    return json.loads(result.stdout.strip().splitlines()[-1])["median_ms"]


def measure_peak(tmp):
    """Measured fp32 GFLOP/s and int8 GOP/s for 1 and 2 threads, or None."""
    clang = shutil.which("clang-22") or shutil.which("clang")
    if not clang:
        return None
    exe = os.path.join(tmp, "peak")
    run([clang, "-O2", "-mavx512f", "-mavx512vnni", "-fopenmp",
         os.path.join(ROOT, "benchmarks", "peak.c"), "-o", exe])
    return json.loads(run([exe]))


def cosine(a, b):
    a, b = a.astype(np.float64).ravel(), b.astype(np.float64).ravel()
    return float(a @ b / np.linalg.norm(a) / np.linalg.norm(b))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--bin", default=os.path.join(ROOT, "build", "bin"))
    ap.add_argument("--repeat", type=int, default=15)
    ap.add_argument("--rounds", type=int, default=3,
                    help="times every contender runs, in turn")
    ap.add_argument("--ort", help="directory with node_modules/onnxruntime-node"
                    " (ONNX Runtime is skipped without it)")
    ap.add_argument("--only", default=",".join(WORKLOADS),
                    help="comma-separated subset of " + ", ".join(WORKLOADS))
    ap.add_argument("--baseline-bin",
                    help="bin directory of another build (e.g. an earlier "
                    "commit): its compress-run lowers and times the same "
                    "prepared models as a further contender, reported as "
                    "'baseline' next to ours")
    ap.add_argument("--threads", default="1,2",
                    help="comma-separated thread counts (1, 2)")
    ap.add_argument("--markdown", help="write the tables to this file")
    ap.add_argument("--plot", help="write a bar chart (PNG) to this file")
    args = ap.parse_args()
    only = args.only.split(",")
    thread_counts = [int(t) for t in args.threads.split(",")
                     if t in ("1", "2")]
    if (any(w not in WORKLOADS for w in only) or args.repeat < 1
            or args.rounds < 1
            or len(thread_counts) != len(args.threads.split(","))):
        sys.exit("codegen.py: --only takes %s; --threads takes 1, 2; "
                 "--repeat, --rounds >= 1" % ", ".join(WORKLOADS))
    if args.baseline_bin and not os.path.exists(
            os.path.join(args.baseline_bin, "compress-run")):
        sys.exit("codegen.py: no compress-run in --baseline-bin %s"
                 % args.baseline_bin)
    rng = np.random.default_rng(0)
    w_gemm = rng.standard_normal((1024, 1024), np.float32) / 32
    w_conv = rng.standard_normal((64, 64, 3, 3), np.float32) / 24
    x_gemm = rng.standard_normal((1024, 1024), np.float32)
    x_conv = rng.standard_normal((1, 64, 58, 58), np.float32)
    w_i8 = rng.integers(-127, 128, (1024, 1024)).astype(np.int8)
    x_i8 = rng.integers(-128, 128, (1024, 1024)).astype(np.int8)
    wc_i8 = np.clip(np.round(w_conv / CONV_I8_SCALES[1]), -127,
                    127).astype(np.int8)
    xc_i8 = np.clip(np.round(x_conv / CONV_I8_SCALES[0]), -128,
                    127).astype(np.int8)
    ops = {"gemm": 2 * 1024 ** 3, "gemm-i8": 2 * 1024 ** 3,
           "mlp": 2 * 360 * (64 * 64 + 64 * 32 + 32 * 10),
           "cnn": 2 * 360 * (64 * 8 * 9 + 16 * 16 * 8 * 9 + 256 * 10),
           "gemm-bf16": 2 * 1024 ** 3,
           "conv-i8": 2 * 64 * 64 * 9 * 56 * 56, "conv": 2 * 64 * 64 * 9 * 56 * 56,
           "conv-nhwc": 2 * 64 * 64 * 9 * 56 * 56, "resnet18": 2 * 1.814e9}
    rows, notes = [], []
    with tempfile.TemporaryDirectory() as tmp:
        peak = measure_peak(tmp)
        print("machine peak:", peak, flush=True)
        np.save(os.path.join(tmp, "gemm_x.npy"), x_gemm)
        np.save(os.path.join(tmp, "gemm_w.npy"), w_gemm)
        np.save(os.path.join(tmp, "conv_x.npy"), x_conv)
        np.save(os.path.join(tmp, "conv_w.npy"), w_conv)
        np.save(os.path.join(tmp, "conv_nhwc_x.npy"),
                np.ascontiguousarray(x_conv.transpose(0, 2, 3, 1)))
        np.save(os.path.join(tmp, "gemm_i8_x.npy"), x_i8)
        # ORT's MatMulInteger input: the same values as u8 with zero point
        # 128.
        np.save(os.path.join(tmp, "gemm_u8_x.npy"),
                (x_i8.astype(np.int16) + 128).astype(np.uint8))
        np.save(os.path.join(tmp, "conv_i8_x.npy"),
                np.ascontiguousarray(xc_i8.transpose(0, 2, 3, 1)))
        np.save(os.path.join(tmp, "conv_u8_x.npy"),
                (xc_i8.astype(np.int16) + 128).astype(np.uint8))
        onnx_paths = onnx_models(tmp, x_gemm, w_gemm, x_conv, w_conv, w_i8,
                                 wc_i8)
        digits = os.path.join(ROOT, "examples", "digits")
        weights = digits_weights()
        np.savez(os.path.join(tmp, "digits.npz"),
                 x=np.load(os.path.join(digits, "test_x.npy")), **weights)
        onnx_paths.update(digits_onnx(tmp, weights))
        models = {"mlp": os.path.join(digits, "mlp.mlir"),
                  "cnn": os.path.join(digits, "cnn.mlir")}
        for name, text in (("gemm", matmul_model(w_gemm)),
                           ("gemm-i8", int8_matmul_model(w_i8)),
                           ("gemm-bf16", bf16_matmul_model(w_gemm)),
                           ("conv-i8", int8_conv_model(
                               np.ascontiguousarray(
                                   wc_i8.transpose(2, 3, 1, 0)))),
                           ("conv", conv_model(w_conv)),
                           ("conv-nhwc", conv_model(w_conv, nhwc=True))):
            models[name] = os.path.join(tmp, name + ".mlir")
            with open(models[name], "w") as f:
                f.write(text)
        inputs = {"gemm": "gemm_x.npy", "gemm-i8": "gemm_i8_x.npy",
                  "gemm-bf16": "gemm_x.npy",
                  "conv": "conv_x.npy", "conv-nhwc": "conv_nhwc_x.npy",
                  "conv-i8": "conv_i8_x.npy"}
        inputs = {k: os.path.join(tmp, v) for k, v in inputs.items()}
        inputs["mlp"] = inputs["cnn"] = os.path.join(digits, "test_x.npy")
        calibration = {"mlp": [os.path.join(digits, "train_x.npy")],
                       "cnn": [os.path.join(digits, "train_x.npy")]}
        ort_inputs = {"gemm-i8": os.path.join(tmp, "gemm_u8_x.npy"),
                      "conv-i8": os.path.join(tmp, "conv_u8_x.npy"),
                      "conv-nhwc": inputs["conv"]}
        if "resnet18" in only:
            net = os.path.join(tmp, "resnet18")
            run([sys.executable, os.path.join(ROOT, "examples", "resnet18",
                                              "resnet18.py"), net])
            opt = os.path.join(args.bin, "compress-opt")
            models["resnet18"] = os.path.join(net, "folded.mlir")
            start = time.perf_counter()
            run([opt, os.path.join(net, "model.mlir"),
                 "--compress-fold-batchnorm", "-o", models["resnet18"]])
            run([opt, models["resnet18"], "--compress-to-llvm", "-o",
                 os.path.join(net, "lowered.mlir")])
            compile_s = time.perf_counter() - start
            notes.append("ResNet-18 compile time (compress-opt "
                         "--compress-fold-batchnorm, then --compress-to-llvm,"
                         " fp32, 94 MB of MLIR): %.1f s" % compile_s)
            inputs["resnet18"] = os.path.join(net, "x.npy")
            calibration["resnet18"] = [os.path.join(net, "calib_%d.npy" % k)
                                       for k in range(8)]
            onnx_paths["resnet18 fp32"] = os.path.join(net, "model.onnx")
            onnx_paths["resnet18 int8"] = os.path.join(net, "model.int8.onnx")
            reference = np.load(os.path.join(net, "reference.npy"))

        # What each workload runs, prepared once: (workload dtype) ->
        # (our model, our input, ONNX model, ORT input).
        cases = {}
        for workload in WORKLOADS:
            if workload not in only:
                continue
            for dtype in DTYPES[workload]:
                key = "%s %s" % (workload, dtype)
                work = os.path.join(tmp, key.replace(" ", "_"))
                os.makedirs(work, exist_ok=True)
                # gemm-i8 and conv-i8 are integer already; the others are
                # quantized.
                quantize = dtype == "int8" and not workload.endswith("-i8")
                source = prepare_ours(args, work, models[workload],
                                      inputs[workload], quantize,
                                      calibration.get(workload))
                cases[key] = (source, inputs[workload],
                              onnx_paths.get(
                                  key.replace("conv-nhwc", "conv")),
                              ort_inputs.get(workload, inputs[workload]))

        # Exact references of the integer workloads: (result, ORT output
        # type, ORT output -> our layout and type).
        windows = np.lib.stride_tricks.sliding_window_view(
            xc_i8[0].transpose(1, 2, 0), (3, 3), axis=(0, 1))
        acc = (windows.transpose(0, 1, 3, 4, 2).reshape(56 * 56, -1).astype(
            np.float64) @ np.ascontiguousarray(wc_i8.transpose(2, 3, 1, 0))
            .reshape(-1, 64).astype(np.float64)).astype(np.int64)
        scale = np.float32(CONV_I8_SCALES[0] * CONV_I8_SCALES[1]
                           / CONV_I8_SCALES[2])
        conv_ref = np.clip(np.rint(acc.astype(np.float32) * scale), -128,
                           127).astype(np.int64).reshape(1, 56, 56, 64)
        exact = {
            "gemm-i8": (x_i8.astype(np.int64) @ w_i8.astype(np.int64),
                        np.int32, lambda y: y.reshape(1024, 1024)),
            "conv-i8": (conv_ref, np.uint8, lambda y: (
                y.astype(np.int64) - 128).reshape(1, 64, 56, 56).transpose(
                    0, 2, 3, 1)),
        }

        for threads in thread_counts:
            cpus = "0" if threads == 1 else "0,1"
            pin = ["taskset", "-c", cpus] if shutil.which("taskset") else []
            # Every contender runs once per round, in turn; each reports
            # the fastest of its per-round medians (the round least
            # disturbed by the host).
            samples = collections.defaultdict(list)
            outputs = {}
            for _ in range(args.rounds):
                peers = json.loads(run(pin + [sys.executable, "-c", TORCH,
                                              str(threads), str(args.repeat),
                                              tmp]))
                for name, ms in peers.items():
                    samples[name].append(ms)
                for key, (source, x_path, onnx_path, ort_x) in cases.items():
                    out_path = os.path.join(tmp, key.replace(" ", "_"),
                                            "y.npy")
                    samples[key + "/ours"].append(
                        ours(args, source, x_path, out_path, threads, pin))
                    if args.baseline_bin:
                        samples[key + "/baseline"].append(
                            ours(args, source, x_path, out_path + ".base.npy",
                                 threads, pin, args.baseline_bin))
                    ort_out = os.path.join(tmp, key.replace(" ", "_"),
                                           "ort.bin")
                    ort_ms = ort(args, onnx_path, ort_x, threads, pin,
                                 ort_out)
                    if ort_ms is not None:
                        samples[key + "/ort"].append(ort_ms)
                    outputs[key] = (out_path, ort_out)
            for key in cases:
                workload, dtype = key.split(" ")
                ms = min(samples[key + "/ours"])
                # The peers run the digits models in fp32 only.
                peer_key = (workload + " fp32" if workload in ("mlp", "cnn")
                            else key)
                peer = {name.split("/")[1]: min(v)
                        for name, v in samples.items()
                        if name.startswith(peer_key + "/")
                        and not name.endswith(("/ours", "/baseline"))}
                best = min(peer, key=peer.get) if peer else None
                gops = ops[workload] / ms / 1e6
                limit = None
                if peak:
                    # bf16 without AVX512_BF16 runs on the fp32 FMAs.
                    limit = peak["int8_gops" if dtype == "int8"
                                 else "fp32_gflops"][threads - 1]
                if args.baseline_bin:
                    baseline = min(samples[key + "/baseline"])
                    print("%-14s %dT ours %8.2f ms | baseline %8.2f ms | "
                          "ours / baseline %.3f" % (key, threads, ms,
                                                    baseline,
                                                    ms / baseline),
                          flush=True)
                else:
                    baseline = None
                if not peer:
                    # No peer ran this workload (ResNet-18 without --ort).
                    continue
                row = dict(workload=key, threads=threads, ours=ms,
                           baseline=baseline,
                           peers=peer, best=best, gops=gops,
                           peak=gops / limit if limit else None,
                           ratio=peer[best] / ms)
                if workload == "resnet18":
                    out_path, ort_out = outputs[key]
                    row["cosine"] = cosine(np.load(out_path), reference)
                    if "ort" in peer:
                        row["ort_cosine"] = cosine(
                            np.fromfile(ort_out, np.float32), reference)
                if workload in exact:
                    out_path, ort_out = outputs[key]
                    ref, ort_type, to_ref = exact[workload]
                    row["exact"] = np.array_equal(np.load(out_path), ref)
                    if "ort" in peer:
                        got = to_ref(np.fromfile(ort_out, ort_type))
                        row["ort_diff"] = int(np.abs(
                            got.astype(np.int64) - ref).max())
                rows.append(row)
                print("%-14s %dT ours %8.2f ms (%6.1f GOP/s) | %s | "
                      "vs best %.2fx" % (
                          key, threads, ms, gops,
                          ", ".join("%s %.2f ms" % kv
                                    for kv in sorted(peer.items())),
                          row["ratio"]), flush=True)
                print("    rounds: " + "; ".join(
                    "%s %s" % (name.split("/")[1], " ".join(
                        "%.2f" % v for v in values))
                    for name, values in sorted(samples.items())
                    if name.startswith(key + "/")), flush=True)

    def cell(r, name):
        return "%.2f" % r["peers"][name] if name in r["peers"] else "-"

    lines = ["| workload | threads | ours ms | ours GOP/s | of peak | numpy ms"
             " | torch ms | ORT ms | best peer | speed vs best peer |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---|---:|"]
    for r in rows:
        lines.append("| %s | %d | %.2f | %.1f | %s | %s | %s | %s | %s | "
                     "%.2fx |" % (
                         r["workload"], r["threads"], r["ours"], r["gops"],
                         "%.0f%%" % (100 * r["peak"]) if r["peak"] else "-",
                         cell(r, "numpy"), cell(r, "torch"), cell(r, "ort"),
                         r["best"], r["ratio"]))
    if args.baseline_bin:
        lines += ["", "| workload | threads | ours ms | baseline ms | "
                  "ours / baseline |", "|---|---:|---:|---:|---:|"]
        lines += ["| %s | %d | %.2f | %.2f | %.3f |" % (
            r["workload"], r["threads"], r["ours"], r["baseline"],
            r["ours"] / r["baseline"]) for r in rows]
    if peak:
        notes.append("Measured peak (benchmarks/peak.c): fp32 %.0f / %.0f "
                     "GFLOP/s, int8 %.0f / %.0f GOP/s (1 / 2 threads)" % (
                         peak["fp32_gflops"][0], peak["fp32_gflops"][1],
                         peak["int8_gops"][0], peak["int8_gops"][1]))
    for r in rows:
        if "cosine" in r:
            notes.append("%s %dT: cosine to the fp32 reference: ours %.5f%s"
                         % (r["workload"], r["threads"], r["cosine"],
                            ", ORT %.5f" % r["ort_cosine"]
                            if "ort_cosine" in r else ""))
    notes.append("mlp int8, cnn int8: the peers' figures are their fp32 "
                 "times (the alternative a user has for these models)")
    for r in rows:
        if "exact" in r:
            notes.append("%s %dT: result equal to the exact numpy reference:"
                         " ours %s%s" % (
                             r["workload"], r["threads"],
                             "yes" if r["exact"] else "NO",
                             ", ORT largest difference %d" % r["ort_diff"]
                             if "ort_diff" in r else ""))
    fp32 = {r["threads"]: r["ours"] for r in rows
            if r["workload"] == "resnet18 fp32"}
    for r in rows:
        if r["workload"] == "resnet18 int8":
            notes.append("resnet18 %dT: our int8 is %.2fx faster than our "
                         "fp32" % (r["threads"], fp32[r["threads"]] /
                                   r["ours"]))
    table = "\n".join(lines + [""] + ["- " + n for n in notes])
    print(table)
    if args.markdown:
        with open(args.markdown, "w") as f:
            f.write(table + "\n")
    if args.plot:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
        labels = ["%s\n%dT" % (r["workload"], r["threads"]) for r in rows]
        pos = np.arange(len(rows))
        fig, ax = plt.subplots(figsize=(max(10, len(rows) * 0.8), 4.5))
        ax.bar(pos, [r["ratio"] for r in rows], 0.6,
               label="compress: speed relative to the best peer")
        ax.axhline(1.0, color="black", linewidth=1, label="best peer")
        ax.set_xticks(pos)
        ax.set_xticklabels(labels, fontsize=7)
        ax.set_ylabel("speed relative to best peer (higher is better)")
        ax.legend()
        fig.tight_layout()
        fig.savefig(args.plot, dpi=100)
    return 0


if __name__ == "__main__":
    sys.exit(main())
