#!/usr/bin/python3
"""Benchmark: every quantization variant against fp32, and ONNX Runtime.

Usage:
    benchmarks/quantize.py [--bin build/bin] [--repeat N] [--min-time S]
                           [--processes P] [--threads 1,2] [--ort DIR]
                           [--only W,...] [--variants V,...]
                           [--markdown OUT.md]

Times, in one run, each variant of `compress-opt --compress-quantize` on
each workload against the fp32 model, all compiled by compress-run
(--compress-to-llvm, cpu=native) and timed by compress-run --repeat N
(median of N calls after a warm-up call, N raised until the calls take S
seconds; the lowest median of P processes, timed in P rounds over all
variants), pinned with taskset to CPU 0
(1 thread) or CPUs 0-1 (2 threads):

  gemv1     linear layer 1 x 4096 x 4096 (LLM decoding: memory-bound)
  gemv8     linear layer 8 x 4096 x 4096
  gemm      matmul 1024 x 1024 x 1024 (compute-bound)
  conv      conv 3x3, 64 -> 64 channels, 56x56 output, NCHW
  depthwise depthwise conv 3x3, 64 channels, 56x56 output, NHWC
  resnet18  ResNet-18, batch 1, 224x224 (examples/resnet18/resnet18.py)

Variants: int8 (symmetric, asymmetric), int4 (per channel, groups of 128
and 32) and log2 (8 and 4 bits) weight-only, fp16 and bf16 weights, int8
static (calibrated on the benchmark input) and dynamic activations with
int8 and int4 weights.
With --ort DIR (onnxruntime-node installed there, see
scripts/benchmarks.sh), the GEMM workloads also run in ONNX Runtime:
MatMul (fp32) and MatMulNBits (4 bits, blocks of 32 and 128,
accuracy_level 0 = fp32 compute and 4 = int8 compute).

Prints a table (median ms, speed-up against our fp32, relative error
against fp32) and one verdict line per variant: the worst speed-up over the
workloads, and whether the variant is ever slower than fp32 (below 0.95x,
beyond the run-to-run noise).
"""

import argparse
import json
import math
import os
import re
import shutil
import subprocess
import sys
import tempfile

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

VARIANTS = [
    ("fp32", None),
    ("int8 w-only", "bits=8"),
    ("int8 w-only asym", "bits=8 symmetric=false"),
    ("int4 w-only", "bits=4"),
    ("int4 w-only g128", "bits=4 granularity=per-group group-size=128"),
    ("int4 w-only g32", "bits=4 granularity=per-group group-size=32"),
    ("log2 8-bit", "bits=8 scheme=log2"),
    ("log2 4-bit", "bits=4 scheme=log2"),
    ("fp16", "float-type=fp16"),
    ("bf16", "float-type=bf16"),
    ("int8 static", "mode=static"),
    ("int8 dynamic", "mode=dynamic"),
    ("int4 static", "bits=4 mode=static"),
    ("int4 dynamic", "bits=4 mode=dynamic"),
    ("int4 dynamic g128",
     "bits=4 mode=dynamic granularity=per-group group-size=128"),
    ("int4 dynamic g32",
     "bits=4 mode=dynamic granularity=per-group group-size=32"),
]

# A variant is slower than fp32 below this speed-up (run-to-run noise of
# the medians on the machines of docs/machine-notes.md is about 3%).
SLOWER = 0.95


def resource_blob(name, array):
    """A dense_resource blob entry (4-byte alignment header + data)."""
    data = np.ascontiguousarray(array, dtype=np.float32).tobytes()
    return '      %s: "0x04000000%s"' % (name, data.hex().upper())


def with_blob(body, w):
    return body + """{-#
  dialect_resources: {
    builtin: {
%s
    }
  }
#-}
""" % resource_blob("w", w)


def matmul_model(w, m=1024):
    k, n = w.shape
    return with_blob("""func.func @predict(%%x: tensor<%(m)dx%(k)dxf32>) -> tensor<%(m)dx%(n)dxf32> {
  %%w = arith.constant dense_resource<w> : tensor<%(k)dx%(n)dxf32>
  %%e = tensor.empty() : tensor<%(m)dx%(n)dxf32>
  %%z = arith.constant 0.0 : f32
  %%i = linalg.fill ins(%%z : f32) outs(%%e : tensor<%(m)dx%(n)dxf32>) -> tensor<%(m)dx%(n)dxf32>
  %%y = linalg.matmul ins(%%x, %%w : tensor<%(m)dx%(k)dxf32>, tensor<%(k)dx%(n)dxf32>) outs(%%i : tensor<%(m)dx%(n)dxf32>) -> tensor<%(m)dx%(n)dxf32>
  return %%y : tensor<%(m)dx%(n)dxf32>
}
""" % dict(m=m, k=k, n=n), w)


def conv_like_model(op, x, wt, y, w):
    """`linalg.<op>` of an input of type `x` by the constant `w` (type `wt`)
    into a zero-filled `y`."""
    return with_blob("""func.func @predict(%%x: tensor<%(x)sxf32>) -> tensor<%(y)sxf32> {
  %%w = arith.constant dense_resource<w> : tensor<%(wt)sxf32>
  %%e = tensor.empty() : tensor<%(y)sxf32>
  %%z = arith.constant 0.0 : f32
  %%i = linalg.fill ins(%%z : f32) outs(%%e : tensor<%(y)sxf32>) -> tensor<%(y)sxf32>
  %%r = linalg.%(op)s {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
      ins(%%x, %%w : tensor<%(x)sxf32>, tensor<%(wt)sxf32>) outs(%%i : tensor<%(y)sxf32>) -> tensor<%(y)sxf32>
  return %%r : tensor<%(y)sxf32>
}
""" % dict(op=op, x=x, wt=wt, y=y), w)


def conv_model(w, nhwc=False):
    """3x3 convolution of a 58x58 input by the FCHW weight `w`: NCHW
    (conv_2d_nchw_fchw) or NHWC (conv_2d_nhwc_hwcf, weight HWCF)."""
    f, c, kh, kw = w.shape
    if nhwc:
        return conv_like_model(
            "conv_2d_nhwc_hwcf", "1x58x58x%d" % c,
            "%dx%dx%dx%d" % (kh, kw, c, f), "1x56x56x%d" % f,
            np.ascontiguousarray(w.transpose(2, 3, 1, 0)))
    return conv_like_model("conv_2d_nchw_fchw", "1x%dx58x58" % c,
                           "%dx%dx%dx%d" % (f, c, kh, kw), "1x%dx56x56" % f, w)


def depthwise_model(w):
    """Depthwise 3x3 convolution of a 1x58x58x64 input by the HWC `w`."""
    return conv_like_model("depthwise_conv_2d_nhwc_hwc", "1x58x58x64",
                           "3x3x64", "1x56x56x64", w)


def run(cmd, env=None):
    result = subprocess.run(cmd, capture_output=True, text=True, env=env)
    if result.returncode != 0:
        sys.exit("command failed: %s\n%s" % (" ".join(cmd), result.stderr))
    return result.stdout


def pin(threads):
    if not shutil.which("taskset"):
        return []
    return ["taskset", "-c", "0" if threads == 1 else "0-%d" % (threads - 1)]


def calibrate(opt, runner, tmp, model_path, x_path):
    """Calibrates `model_path` on the input `x_path` (one batch); returns the
    calibration file."""
    instrumented = os.path.join(tmp, "instrumented.mlir")
    calibration = os.path.join(tmp, "calibration.json")
    run([opt, model_path, "--compress-instrument=gram=false", "-o",
         instrumented])
    run([runner, instrumented, "-e", "predict", "--input", x_path,
         "--calibration-out", calibration, "--output",
         os.path.join(tmp, "unused.npy")])
    return calibration


def onnx_matmul(path, w, m, block=None, accuracy=0):
    """An ONNX model of x[m, k] @ w: MatMul, or MatMulNBits with 4-bit
    symmetric blocks of `block` along k (codes + 8, as ONNX Runtime's
    quantizer writes them)."""
    import onnx
    from onnx import TensorProto, helper, numpy_helper
    k, n = w.shape
    inits = []
    if block is None:
        node = helper.make_node("MatMul", ["x", "w"], ["y"])
        inits.append(numpy_helper.from_array(w, "w"))
        opsets = [helper.make_opsetid("", 17)]
    else:
        blocks = w.T.reshape(n, k // block, block)
        scale = np.abs(blocks).max(axis=2) / 7.0
        scale[scale == 0] = 1.0
        q = np.clip(np.round(blocks / scale[:, :, None]), -8, 7).astype(
            np.int32) + 8
        packed = (q[:, :, 0::2] | (q[:, :, 1::2] << 4)).astype(np.uint8)
        inits += [numpy_helper.from_array(packed, "b"),
                  numpy_helper.from_array(
                      scale.astype(np.float32).reshape(-1), "s")]
        node = helper.make_node("MatMulNBits", ["x", "b", "s"], ["y"],
                                domain="com.microsoft", K=k, N=n, bits=4,
                                block_size=block, accuracy_level=accuracy)
        opsets = [helper.make_opsetid("", 17),
                  helper.make_opsetid("com.microsoft", 1)]
    graph = helper.make_graph(
        [node], "g", [helper.make_tensor_value_info("x", TensorProto.FLOAT,
                                                    [m, k])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [m, n])],
        inits)
    model = helper.make_model(graph, opset_imports=opsets)
    model.ir_version = 8
    onnx.save(model, path)


def ort_time(ort_dir, model, x_path, threads, repeat):
    env = dict(os.environ, NODE_PATH=os.path.join(ort_dir, "node_modules"))
    out = run(pin(threads) + ["node", os.path.join(ROOT, "benchmarks",
                                                    "ort_run.js"),
                              model, x_path, str(threads), str(repeat)],
              env=env)
    return json.loads(out.strip().splitlines()[-1])["median_ms"]


def workloads(rng, only, tmp, opt):
    """(name, model text or path, input, flops, GEMM shape or None)."""
    items = []
    for name, m in (("gemv1", 1), ("gemv8", 8)):
        w = rng.standard_normal((4096, 4096), np.float32) / 64
        items.append((name, matmul_model(w, m),
                      rng.standard_normal((m, 4096), np.float32),
                      2 * m * 4096 * 4096, (m, w)))
    w = rng.standard_normal((1024, 1024), np.float32) / 32
    items.append(("gemm", matmul_model(w, 1024),
                  rng.standard_normal((1024, 1024), np.float32),
                  2 * 1024 ** 3, (1024, w)))
    items.append(("conv", conv_model(
        rng.standard_normal((64, 64, 3, 3), np.float32) / 24),
        rng.standard_normal((1, 64, 58, 58), np.float32),
        2 * 64 * 64 * 9 * 56 * 56, None))
    items.append(("depthwise", depthwise_model(
        rng.standard_normal((3, 3, 64), np.float32) / 3),
        rng.standard_normal((1, 58, 58, 64), np.float32),
        2 * 64 * 9 * 56 * 56, None))
    items = [item for item in items if not only or item[0] in only]
    if not only or "resnet18" in only:
        net = os.path.join(tmp, "resnet18")
        run([sys.executable, os.path.join(ROOT, "examples", "resnet18",
                                          "resnet18.py"), net])
        folded = os.path.join(net, "folded.mlir")
        run([opt, os.path.join(net, "model.mlir"),
             "--compress-fold-batchnorm", "-o", folded])
        items.append(("resnet18", folded, np.load(os.path.join(net, "x.npy")),
                      2 * 1.814e9, None))
    return items


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--bin", default=os.path.join(ROOT, "build", "bin"))
    ap.add_argument("--repeat", type=int, default=11,
                    help="calls per median (at least)")
    ap.add_argument("--min-time", type=float, default=0.3,
                    help="seconds of calls per median: small workloads get "
                    "more calls than --repeat (their medians move with any "
                    "interruption otherwise)")
    ap.add_argument("--threads", default="1",
                    help="comma-separated thread counts, e.g. 1,2")
    ap.add_argument("--processes", type=int, default=1,
                    help="time each cell in this many processes and keep the "
                    "lowest median, in rounds over all variants (on a shared "
                    "VM a process sometimes runs "
                    "without its second CPU, or beside a noisy neighbour; "
                    "interference only adds time)")
    ap.add_argument("--ort", help="directory with onnxruntime-node installed")
    ap.add_argument("--only", help="comma-separated workloads")
    ap.add_argument("--variants",
                    help="comma-separated variants (fp32 always runs)")
    ap.add_argument("--markdown", help="write the tables to this file")
    args = ap.parse_args()
    opt = os.path.join(args.bin, "compress-opt")
    runner = os.path.join(args.bin, "compress-run")
    rng = np.random.default_rng(0)
    only = set(args.only.split(",")) if args.only else None
    thread_counts = [int(t) for t in args.threads.split(",")]

    rows = []  # (threads, workload, variant, median, speed-up, error)
    rejected = []  # (workload, variant, compress-quantize's error)
    with tempfile.TemporaryDirectory() as tmp:
        for name, model, x, flops, gemm in workloads(rng, only, tmp, opt):
            model_path = model
            if not os.path.exists(model):
                model_path = os.path.join(tmp, "model.mlir")
                with open(model_path, "w") as f:
                    f.write(model)
            x_path = os.path.join(tmp, "x.npy")
            np.save(x_path, x)
            calibration = calibrate(opt, runner, tmp, model_path, x_path)
            # Every variant compiled first, then timed in rounds over all of
            # them (each round one process per cell, the lowest median kept),
            # so that a burst of interference on the VM hits one round of a
            # cell, not all its processes.
            lowered = {}  # variant -> quantized model
            for variant, options in VARIANTS:
                if (args.variants and variant != "fp32" and
                        variant not in args.variants.split(",")):
                    continue
                path = os.path.join(tmp, "variant%d.mlir" % len(lowered))
                cmd = [opt, model_path]
                if options:
                    if "static" in options:
                        options += " calibration=" + calibration
                    cmd.append("--compress-quantize=" + options)
                result = subprocess.run(cmd + ["-o", path],
                                        capture_output=True, text=True)
                if result.returncode != 0:
                    reason = re.sub(r"^.*error: ", "", next(
                        (line for line in result.stderr.splitlines()
                         if "error:" in line), "error"))
                    print("   %-10s %-18s rejected: %s" % (name, variant,
                                                            reason))
                    rejected.append((name, variant, reason))
                    continue
                lowered[variant] = path

            def measure(variant, threads, calls):
                out_path = os.path.join(tmp, "y.npy")
                out = run(pin(threads) + [
                    runner, lowered[variant], "-e", "predict", "--input",
                    x_path, "--output", out_path, "--repeat", str(calls),
                    "--compress-to-llvm-options=threads=%d" % threads])
                return (float(re.search(r"median ([0-9.]+) ms",
                                        out).group(1)), np.load(out_path))

            # Calls per median: at least --min-time seconds of fp32.
            first, _ = measure("fp32", thread_counts[0], args.repeat)
            repeat = max(args.repeat,
                         math.ceil(args.min_time * 1e3 / first))
            best = {}  # (variant, threads) -> (median, output)
            for _ in range(args.processes):
                for variant in lowered:
                    for threads in thread_counts:
                        median, y = measure(variant, threads, repeat)
                        key = (variant, threads)
                        if key not in best or median < best[key][0]:
                            best[key] = (median, y)
            base = {}  # threads -> (fp32 result, fp32 median)
            for variant in lowered:
                for threads in thread_counts:
                    median, y = best[(variant, threads)]
                    if variant == "fp32":
                        base[threads] = (y, median)
                    ref_y, base_ms = base[threads]
                    error = float(np.max(np.abs(y - ref_y)) /
                                  max(np.max(np.abs(ref_y)), 1e-30))
                    rows.append((threads, name, variant, median,
                                 base_ms / median, error))
                    print("%dT %-10s %-18s %9.3f ms  x%5.2f  rel.err %.1e" %
                          rows[-1], flush=True)
            if gemm is None or not args.ort:
                continue
            m, w = gemm
            peers = [("ORT MatMul fp32", None, 0)]
            for block in (128, 32):
                for accuracy in (0, 4):
                    peers.append(("ORT NBits g%d acc%d" % (block, accuracy),
                                  block, accuracy))
            for label, block, accuracy in peers:
                path = os.path.join(tmp, "peer.onnx")
                onnx_matmul(path, w, m, block, accuracy)
                for threads in thread_counts:
                    median = min(ort_time(args.ort, path, x_path, threads,
                                          repeat)
                                 for _ in range(args.processes))
                    _, base_ms = base[threads]
                    rows.append((threads, name, label, median,
                                 base_ms / median, float("nan")))
                    print("%dT %-10s %-18s %9.3f ms  x%5.2f" % rows[-1][:5],
                          flush=True)

    lines = []
    for threads in thread_counts:
        names = []
        for row in rows:
            if row[0] == threads and row[1] not in names:
                names.append(row[1])
        labels = []
        for row in rows:
            if row[0] == threads and row[2] not in labels:
                labels.append(row[2])
        lines.append("\n%d thread(s): median ms (speed-up against our fp32)\n"
                     % threads)
        lines.append("| variant | " + " | ".join(names) + " |")
        lines.append("|---|" + "---:|" * len(names))
        cell = {(r[1], r[2]): r for r in rows if r[0] == threads}
        for label in labels:
            cells = []
            for name in names:
                r = cell.get((name, label))
                cells.append("%.3g (%.2fx)" % (r[3], r[4]) if r else "")
            lines.append("| %s | %s |" % (label, " | ".join(cells)))
    lines.append("\nVerdicts (ours; slower means below %.2fx of fp32):\n"
                 % SLOWER)
    for variant, _ in VARIANTS[1:]:
        mine = [r for r in rows if r[2] == variant]
        if not mine:
            continue
        worst = min(mine, key=lambda r: r[4])
        slower = [r for r in mine if r[4] < SLOWER]
        verdict = ("never slower than fp32" if not slower else
                   "SLOWER than fp32 on " + ", ".join(
                       "%s (%dT, %.2fx)" % (r[1], r[0], r[4])
                       for r in slower))
        lines.append("- %s: worst %.2fx (%s, %dT), %s; max rel. error %.1e"
                     % (variant, worst[4], worst[1], worst[0], verdict,
                        max(r[5] for r in mine)))
    if rejected:
        lines.append("\nRejected by compress-quantize:\n")
        for name, variant, reason in rejected:
            lines.append("- %s on %s: %s" % (variant, name, reason))
    text = "\n".join(lines)
    print(text)
    if args.markdown:
        with open(args.markdown, "w") as f:
            f.write(text + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
