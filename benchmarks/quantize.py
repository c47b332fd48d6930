#!/usr/bin/python3
"""Benchmark: int8 quantized kernels against fp32, both through compress-opt.

Usage:
    benchmarks/quantize.py [--bin build/bin] [--repeat N] [--markdown OUT.md]

Workloads (issue: quantization, speed criterion):
  * matmul 1024 x 1024 x 1024 (activation 1024x1024, constant weight),
  * conv 3x3, 64 -> 64 channels, 56x56 output, batch 1 (NCHW, input
    pre-padded to 58x58).
Variants: fp32; int8 weight-only (per-channel); int8 static (activations
calibrated with compress-instrument + compress-run --calibration-out on the
benchmark batch); int8 dynamic. Every variant is quantized by compress-opt,
then compiled by compress-run with --compress-to-llvm (cpu=native) and timed by compress-run --repeat N (median
and minimum of N calls after one warm-up call), pinned to CPU 0 with taskset
when available. The table reports medians and the speed-up against fp32.
"""

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def resource_blob(name, array):
    """A dense_resource blob entry (4-byte alignment header + data)."""
    data = np.ascontiguousarray(array, dtype=np.float32).tobytes()
    return '      %s: "0x04000000%s"' % (name, data.hex().upper())


def matmul_model(w):
    k, n = w.shape
    return """func.func @predict(%%x: tensor<%(m)dx%(k)dxf32>) -> tensor<%(m)dx%(n)dxf32> {
  %%w = arith.constant dense_resource<w> : tensor<%(k)dx%(n)dxf32>
  %%e = tensor.empty() : tensor<%(m)dx%(n)dxf32>
  %%z = arith.constant 0.0 : f32
  %%i = linalg.fill ins(%%z : f32) outs(%%e : tensor<%(m)dx%(n)dxf32>) -> tensor<%(m)dx%(n)dxf32>
  %%y = linalg.matmul ins(%%x, %%w : tensor<%(m)dx%(k)dxf32>, tensor<%(k)dx%(n)dxf32>) outs(%%i : tensor<%(m)dx%(n)dxf32>) -> tensor<%(m)dx%(n)dxf32>
  return %%y : tensor<%(m)dx%(n)dxf32>
}
{-#
  dialect_resources: {
    builtin: {
%(blob)s
    }
  }
#-}
""" % dict(m=1024, k=k, n=n, blob=resource_blob("w", w))


def conv_model(w, nhwc=False):
    """The 3x3 convolution of a 58x58 input by the FCHW weight `w`, NCHW
    (linalg.conv_2d_nchw_fchw) or NHWC (conv_2d_nhwc_hwcf, weight HWCF)."""
    f, c, kh, kw = w.shape
    if nhwc:
        x, y, wt = "1x58x58x%d" % c, "1x56x56x%d" % f, "%dx%dx%dx%d" % (
            kh, kw, c, f)
        op, w = "conv_2d_nhwc_hwcf", np.ascontiguousarray(
            w.transpose(2, 3, 1, 0))
    else:
        x, y, wt = "1x%dx58x58" % c, "1x%dx56x56" % f, "%dx%dx%dx%d" % (
            f, c, kh, kw)
        op = "conv_2d_nchw_fchw"
    return """func.func @predict(%%x: tensor<%(x)sxf32>) -> tensor<%(y)sxf32> {
  %%w = arith.constant dense_resource<w> : tensor<%(wt)sxf32>
  %%e = tensor.empty() : tensor<%(y)sxf32>
  %%z = arith.constant 0.0 : f32
  %%i = linalg.fill ins(%%z : f32) outs(%%e : tensor<%(y)sxf32>) -> tensor<%(y)sxf32>
  %%r = linalg.%(op)s {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
      ins(%%x, %%w : tensor<%(x)sxf32>, tensor<%(wt)sxf32>) outs(%%i : tensor<%(y)sxf32>) -> tensor<%(y)sxf32>
  return %%r : tensor<%(y)sxf32>
}
{-#
  dialect_resources: {
    builtin: {
%(blob)s
    }
  }
#-}
""" % dict(x=x, y=y, wt=wt, op=op, blob=resource_blob("w", w))


def run(cmd):
    result = subprocess.run(cmd, capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit("command failed: %s\n%s" % (" ".join(cmd), result.stderr))
    return result.stdout


def calibrate(opt, runner, tmp, model_path, x_path):
    """Calibrates `model_path` on the input `x_path` (one batch) with
    compress-instrument + compress-run --calibration-out; returns the path of
    the calibration file."""
    instrumented = os.path.join(tmp, "instrumented.mlir")
    calibration = os.path.join(tmp, "calibration.json")
    run([opt, model_path, "--compress-instrument=gram=false", "-o",
         instrumented])
    run([runner, instrumented, "-e", "predict", "--input", x_path,
         "--calibration-out", calibration, "--output",
         os.path.join(tmp, "unused.npy")])
    return calibration


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--bin", default=os.path.join(ROOT, "build", "bin"))
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--markdown", help="write the table to this file")
    args = ap.parse_args()
    opt = os.path.join(args.bin, "compress-opt")
    runner = os.path.join(args.bin, "compress-run")
    pin = ["taskset", "-c", "0"] if shutil.which("taskset") else []
    rng = np.random.default_rng(0)

    workloads = [
        ("matmul 1024x1024x1024", matmul_model(
            rng.standard_normal((1024, 1024), np.float32) / 32),
         rng.standard_normal((1024, 1024), np.float32), 2 * 1024 ** 3),
        ("conv 3x3 64->64 56x56", conv_model(
            rng.standard_normal((64, 64, 3, 3), np.float32) / 24),
         rng.standard_normal((1, 64, 58, 58), np.float32),
         2 * 64 * 64 * 9 * 56 * 56),
    ]
    variants = [
        ("fp32", None),
        ("int8 weight-only", "bits=8"),
        ("int8 static", "mode=static"),
        ("int8 dynamic", "mode=dynamic"),
    ]
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for name, model, x, flops in workloads:
            model_path = os.path.join(tmp, "model.mlir")
            with open(model_path, "w") as f:
                f.write(model)
            x_path = os.path.join(tmp, "x.npy")
            np.save(x_path, x)
            # Calibrate on the benchmark input itself (one batch).
            calibration = calibrate(opt, runner, tmp, model_path, x_path)
            reference = None
            base = None
            for variant, options in variants:
                # compress-run applies --compress-to-llvm (cpu=native).
                lowered = os.path.join(tmp, "quantized.mlir")
                cmd = [opt, model_path]
                if options:
                    if "static" in options:
                        options += " calibration=" + calibration
                    cmd.append("--compress-quantize=" + options)
                run(cmd + ["-o", lowered])
                out_path = os.path.join(tmp, "y.npy")
                out = run(pin + [runner, lowered, "-e", "predict", "--input",
                                 x_path, "--output", out_path, "--repeat",
                                 str(args.repeat)])
                match = re.search(r"median ([0-9.]+) ms, min ([0-9.]+) ms", out)
                median, minimum = float(match.group(1)), float(match.group(2))
                y = np.load(out_path)
                if reference is None:
                    reference, base = y, median
                error = float(np.max(np.abs(y - reference)) /
                              np.max(np.abs(reference)))
                rows.append((name, variant, median, minimum,
                             flops / median / 1e6, base / median, error))
                print("%-24s %-18s median %9.2f ms  min %9.2f ms  "
                      "%7.2f GOP/s  x%5.2f vs fp32  rel.err %.2e" % rows[-1],
                      flush=True)

    lines = ["| workload | variant | median ms | min ms | GOP/s | speed-up vs fp32 | max rel. error vs fp32 |",
             "|---|---|---:|---:|---:|---:|---:|"]
    for row in rows:
        lines.append("| %s | %s | %.2f | %.2f | %.2f | %.2fx | %.1e |" % row)
    table = "\n".join(lines)
    print(table)
    if args.markdown:
        with open(args.markdown, "w") as f:
            f.write(table + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
