#!/usr/bin/python3
"""Benchmark: compress-to-llvm kernels against numpy/OpenBLAS and PyTorch.

Usage:
    benchmarks/codegen.py [--bin build/bin] [--repeat N] [--markdown OUT.md]
                          [--plot OUT.png]

Workloads (code-generation issue): GEMM 1024^3 (activation x constant
weight) in fp32 and int8, and the 3x3 64->64 56x56 batch-1 convolution in
fp32 and int8, each with 1 and 2 threads. Ours: compress-opt (int8: static
quantization calibrated on the input) then compress-run --repeat N with
--compress-to-llvm-options=threads=T, pinned with taskset to CPU 0 (1 thread)
or CPUs 0,1 (2 threads). Peers, in a subprocess per thread count with the
same pinning: numpy (OpenBLAS) fp32 matmul; torch fp32 matmul and conv2d
(channels_last); torch int8 (quantized engine onednn: quantized Linear and
Conv2d, u8 activations x s8 weights). Every figure is the median of N timed
calls after a warm-up call. ONNX Runtime is not installed on this machine
(see docs/benchmarks.md).
"""

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "benchmarks"))
from quantize import calibrate, conv_model, matmul_model, run  # noqa: E402

PEERS = r"""
import json, sys, time
import numpy as np
import torch
threads, repeat = int(sys.argv[1]), int(sys.argv[2])
torch.set_num_threads(threads)
torch.backends.quantized.engine = "onednn"
def median(fn):
    fn()
    times = []
    for _ in range(repeat):
        t = time.perf_counter(); fn(); times.append(time.perf_counter() - t)
    return float(np.median(times)) * 1e3
r = np.random.default_rng(0)
a = r.standard_normal((1024, 1024), np.float32)
b = r.standard_normal((1024, 1024), np.float32)
x = r.standard_normal((1, 64, 58, 58), np.float32)
out = {}
out["gemm fp32/numpy"] = median(lambda: a @ b)
ta, tb = torch.from_numpy(a), torch.from_numpy(b)
with torch.no_grad():
    out["gemm fp32/torch"] = median(lambda: ta @ tb)
    conv = torch.nn.Conv2d(64, 64, 3, bias=False).eval()
    tx = torch.from_numpy(x).to(memory_format=torch.channels_last)
    conv = conv.to(memory_format=torch.channels_last)
    out["conv fp32/torch"] = median(lambda: conv(tx))
    lin = torch.nn.Linear(1024, 1024, bias=False).eval()
    qlin = torch.ao.nn.quantized.Linear(1024, 1024, bias_=False)
    qlin.set_weight_bias(torch.quantize_per_tensor(lin.weight, 0.01, 0, torch.qint8), None)
    qa = torch.quantize_per_tensor(ta, 0.05, 128, torch.quint8)
    out["gemm int8/torch"] = median(lambda: qlin(qa))
    qconv = torch.ao.nn.quantized.Conv2d(64, 64, 3, bias=False)
    qconv.set_weight_bias(torch.quantize_per_tensor(conv.weight.contiguous(), 0.01, 0, torch.qint8), None)
    qx = torch.quantize_per_tensor(tx, 0.05, 128, torch.quint8)
    out["conv int8/torch"] = median(lambda: qconv(qx))
print(json.dumps(out))
"""


def ours(args, tmp, model, x, quantize, threads, pin):
    opt = os.path.join(args.bin, "compress-opt")
    runner = os.path.join(args.bin, "compress-run")
    model_path = os.path.join(tmp, "model.mlir")
    with open(model_path, "w") as f:
        f.write(model)
    x_path = os.path.join(tmp, "x.npy")
    np.save(x_path, x)
    source = model_path
    if quantize:
        calibration = calibrate(opt, runner, tmp, model_path, x_path)
        source = os.path.join(tmp, "quantized.mlir")
        run([opt, model_path, "--compress-quantize=mode=static calibration="
             + calibration, "-o", source])
    out = run(pin + [runner, source, "-e", "predict", "--input", x_path,
                     "--output", os.path.join(tmp, "y.npy"), "--repeat",
                     str(args.repeat),
                     "--compress-to-llvm-options=threads=%d" % threads])
    return float(re.search(r"median ([0-9.]+) ms", out).group(1))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--bin", default=os.path.join(ROOT, "build", "bin"))
    ap.add_argument("--repeat", type=int, default=15)
    ap.add_argument("--markdown", help="write the table to this file")
    ap.add_argument("--plot", help="write a bar chart (PNG) to this file")
    args = ap.parse_args()
    rng = np.random.default_rng(0)
    gemm = matmul_model(rng.standard_normal((1024, 1024), np.float32) / 32)
    conv = conv_model(rng.standard_normal((64, 64, 3, 3), np.float32) / 24)
    gemm_x = rng.standard_normal((1024, 1024), np.float32)
    conv_x = rng.standard_normal((1, 64, 58, 58), np.float32)
    ops = {"gemm": 2 * 1024 ** 3, "conv": 2 * 64 * 64 * 9 * 56 * 56}
    rows = []
    for threads in (1, 2):
        cpus = "0" if threads == 1 else "0,1"
        pin = ["taskset", "-c", cpus] if shutil.which("taskset") else []
        peers = json.loads(run(pin + [sys.executable, "-c", PEERS,
                                      str(threads), str(args.repeat)]))
        with tempfile.TemporaryDirectory() as tmp:
            for workload, model, x in (("gemm", gemm, gemm_x),
                                       ("conv", conv, conv_x)):
                for dtype in ("fp32", "int8"):
                    ms = ours(args, tmp, model, x, dtype == "int8", threads,
                              pin)
                    key = "%s %s" % (workload, dtype)
                    peer = {k.split("/")[1]: v for k, v in peers.items()
                            if k.startswith(key + "/")}
                    best_name = min(peer, key=peer.get)
                    rows.append(dict(workload=key, threads=threads, ours=ms,
                                     peers=peer, best=best_name,
                                     gops=ops[workload] / ms / 1e6,
                                     ratio=peer[best_name] / ms))
                    print("%-10s threads=%d ours %8.2f ms (%6.1f GOP/s) | %s"
                          " | ours/best speed %.2fx" % (
                              key, threads, ms, rows[-1]["gops"],
                              ", ".join("%s %.2f ms" % kv
                                        for kv in sorted(peer.items())),
                              rows[-1]["ratio"]), flush=True)

    lines = ["| workload | threads | ours ms | ours GOP/s | numpy ms | torch ms"
             " | best peer | speed vs best peer |",
             "|---|---:|---:|---:|---:|---:|---|---:|"]
    for r in rows:
        lines.append("| %s | %d | %.2f | %.1f | %s | %s | %s | %.2fx |" % (
            r["workload"], r["threads"], r["ours"], r["gops"],
            "%.2f" % r["peers"]["numpy"] if "numpy" in r["peers"] else "-",
            "%.2f" % r["peers"]["torch"] if "torch" in r["peers"] else "-",
            r["best"], r["ratio"]))
    table = "\n".join(lines)
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
        fig, ax = plt.subplots(figsize=(10, 4))
        ax.bar(pos - 0.2, [r["ratio"] for r in rows], 0.4,
               label="compress (speed vs best peer)")
        ax.bar(pos + 0.2, [1.0] * len(rows), 0.4, label="best peer = 1.0")
        ax.set_xticks(pos)
        ax.set_xticklabels(labels, fontsize=8)
        ax.set_ylabel("speed relative to best peer")
        ax.legend()
        fig.tight_layout()
        fig.savefig(args.plot, dpi=100)
    return 0


if __name__ == "__main__":
    sys.exit(main())
