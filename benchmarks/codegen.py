#!/usr/bin/python3
"""Benchmark: compress-to-llvm code against numpy/OpenBLAS, PyTorch and ONNX
Runtime, side by side in one run.

Usage:
    benchmarks/codegen.py [--bin build/bin] [--repeat N] [--ort DIR]
                          [--only WORKLOAD,...] [--markdown OUT.md]
                          [--plot OUT.png]

Workloads (code-generation issue), each in fp32 and int8, 1 and 2 threads:
  gemm      1024^3, activation x constant weight;
  conv      3x3, 64->64, 56x56 output, batch 1, NCHW in and out (ours
            stores it channels last inside: the transposes are timed);
  conv-nhwc the same convolution with NHWC input and output (as TOSA or
            torch's channels_last give it);
  resnet18  ResNet-18, batch 1, 224x224, random weights
            (examples/resnet18/resnet18.py), batch norms folded.
Ours: compress-opt (int8: static quantization calibrated with
compress-instrument + compress-run --calibration-out) then compress-run
--repeat N with --compress-to-llvm-options=threads=T. Peers, each in its own
process with the same pinning: numpy (OpenBLAS) fp32 matmul; torch fp32
matmul and conv2d (channels_last) and torch int8 (onednn quantized engine:
u8 activations x s8 weights); ONNX Runtime 1.30 (onnxruntime-node, through
benchmarks/ort_run.js) on the same networks as ONNX: fp32, and int8 in the
QDQ form its quantizer writes (fused by ORT into QLinearConv / QLinearMatMul
/ MatMulIntegerToFloat). Every figure is the median of N timed calls after a
warm-up call, pinned with taskset to CPU 0 (1 thread) or CPUs 0,1.

Also measured: the machine's peak (benchmarks/peak.c: vfmadd231ps and
vpdpbusd throughput, 1 and 2 threads) and the compile time of ResNet-18
through compress-opt --compress-fold-batchnorm --compress-to-llvm.
"""

import argparse
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

WORKLOADS = ("gemm", "conv", "conv-nhwc", "resnet18")

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
    out["gemm int8/torch"] = median(lambda: qlin(qa))
    qconv = torch.ao.nn.quantized.Conv2d(64, 64, 3, bias=False)
    qconv.set_weight_bias(torch.quantize_per_tensor(conv.weight.contiguous(), 0.01, 0, torch.qint8), None)
    qx = torch.quantize_per_tensor(tx, 0.05, 128, torch.quint8)
    for key in ("conv int8/torch", "conv-nhwc int8/torch"):
        out[key] = median(lambda: qconv(qx))
print(json.dumps(out))
"""


def onnx_models(workdir, x_gemm, w_gemm, x_conv, w_conv):
    """fp32 and QDQ int8 ONNX models of the gemm and the conv; returns
    {workload dtype: path}."""
    from onnx import TensorProto, helper, numpy_helper

    def save(name, nodes, inits, x_shape, y_shape):
        graph = helper.make_graph(
            nodes, name,
            [helper.make_tensor_value_info("x", TensorProto.FLOAT, x_shape)],
            [helper.make_tensor_value_info("y", TensorProto.FLOAT, y_shape)],
            [numpy_helper.from_array(v, k) for k, v in inits.items()])
        model = helper.make_model(
            graph, opset_imports=[helper.make_opsetid("", 13)])
        model.ir_version = 8
        path = os.path.join(workdir, name + ".onnx")
        import onnx
        onnx.save(model, path)
        return path

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
    return paths


def ours(args, tmp, model_path, x_path, quantize, threads, pin,
         calibration_inputs=None):
    """Median ms of our compiled model (int8: static, calibrated)."""
    opt = os.path.join(args.bin, "compress-opt")
    runner = os.path.join(args.bin, "compress-run")
    source = model_path
    if quantize:
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
    out_path = os.path.join(tmp, "y.npy")
    out = run(pin + [runner, source, "-e", "predict", "--input", x_path,
                     "--output", out_path, "--repeat", str(args.repeat),
                     "--compress-to-llvm-options=threads=%d" % threads])
    return float(re.search(r"median ([0-9.]+) ms", out).group(1)), out_path


def ort(args, model, x_path, threads, pin, out_path=None):
    """Median ms of ONNX Runtime on `model`, or None without ORT."""
    if not args.ort:
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
    ap.add_argument("--ort", help="directory with node_modules/onnxruntime-node"
                    " (ONNX Runtime is skipped without it)")
    ap.add_argument("--only", default=",".join(WORKLOADS),
                    help="comma-separated subset of " + ", ".join(WORKLOADS))
    ap.add_argument("--markdown", help="write the tables to this file")
    ap.add_argument("--plot", help="write a bar chart (PNG) to this file")
    args = ap.parse_args()
    only = args.only.split(",")
    if any(w not in WORKLOADS for w in only) or args.repeat < 1:
        sys.exit("codegen.py: --only takes %s; --repeat >= 1"
                 % ", ".join(WORKLOADS))
    rng = np.random.default_rng(0)
    w_gemm = rng.standard_normal((1024, 1024), np.float32) / 32
    w_conv = rng.standard_normal((64, 64, 3, 3), np.float32) / 24
    x_gemm = rng.standard_normal((1024, 1024), np.float32)
    x_conv = rng.standard_normal((1, 64, 58, 58), np.float32)
    ops = {"gemm": 2 * 1024 ** 3, "conv": 2 * 64 * 64 * 9 * 56 * 56,
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
        onnx_paths = onnx_models(tmp, x_gemm, w_gemm, x_conv, w_conv)
        models = {}
        for name, text in (("gemm", matmul_model(w_gemm)),
                           ("conv", conv_model(w_conv)),
                           ("conv-nhwc", conv_model(w_conv, nhwc=True))):
            models[name] = os.path.join(tmp, name + ".mlir")
            with open(models[name], "w") as f:
                f.write(text)
        inputs = {"gemm": "gemm_x.npy", "conv": "conv_x.npy",
                  "conv-nhwc": "conv_nhwc_x.npy"}
        inputs = {k: os.path.join(tmp, v) for k, v in inputs.items()}
        calibration = {}
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

        for threads in (1, 2):
            cpus = "0" if threads == 1 else "0,1"
            pin = ["taskset", "-c", cpus] if shutil.which("taskset") else []
            peers = json.loads(run(pin + [sys.executable, "-c", TORCH,
                                          str(threads), str(args.repeat),
                                          tmp]))
            for workload in WORKLOADS:
                if workload not in only:
                    continue
                for dtype in ("fp32", "int8"):
                    key = "%s %s" % (workload, dtype)
                    work = os.path.join(tmp, "work")
                    os.makedirs(work, exist_ok=True)
                    ms, out_path = ours(args, work, models[workload],
                                        inputs[workload], dtype == "int8",
                                        threads, pin,
                                        calibration.get(workload))
                    peer = {k.split("/")[1]: v for k, v in peers.items()
                            if k.startswith(key + "/")}
                    onnx_key = key.replace("conv-nhwc", "conv")
                    ort_out = os.path.join(tmp, "ort.bin")
                    ort_ms = ort(args, onnx_paths[onnx_key],
                                 inputs[workload.replace("conv-nhwc", "conv")],
                                 threads, pin, ort_out)
                    if ort_ms is not None:
                        peer["ort"] = ort_ms
                    best = min(peer, key=peer.get)
                    gops = ops[workload] / ms / 1e6
                    limit = None
                    if peak:
                        limit = peak["fp32_gflops" if dtype == "fp32"
                                     else "int8_gops"][threads - 1]
                    row = dict(workload=key, threads=threads, ours=ms,
                               peers=peer, best=best, gops=gops,
                               peak=gops / limit if limit else None,
                               ratio=peer[best] / ms)
                    if workload == "resnet18":
                        row["cosine"] = cosine(np.load(out_path), reference)
                        if ort_ms is not None:
                            row["ort_cosine"] = cosine(
                                np.fromfile(ort_out, np.float32), reference)
                    rows.append(row)
                    print("%-14s %dT ours %8.2f ms (%6.1f GOP/s) | %s | "
                          "vs best %.2fx" % (
                              key, threads, ms, gops,
                              ", ".join("%s %.2f ms" % kv
                                        for kv in sorted(peer.items())),
                              row["ratio"]), flush=True)

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
