#!/usr/bin/python3
"""Benchmark: low-rank factors (compress-cp-decompose) against dense layers.

Usage:
    benchmarks/decompose.py [--bin build/bin] [--threads 1,2] [--processes P]
                            [--only linear,conv,resnet18,memory]
                            [--ort DIR] [--markdown OUT.md] [--plot OUT.png]

linear: for each layer shape (batch x input x output), a random weight
with a decaying spectrum (singular values 1/(1 + i/16)) factored at each
rank ratio (method=svd, only-faster=false: every ratio factored) and
timed, side by side in one run:

  ours dense     the layer as compress-to-llvm compiles it
  ours factors   the two factor matmuls (forced)
  ours           what compress-cp-decompose keeps by default (the factors
                 where the FLOP fraction says they run faster, else dense)
  torch          PyTorch 1.13's dense x @ W and its factor chain (x @ A) @ B

conv: ResNet-18's 3x3 convolutions (64, 128, 256, 512 channels at 56x56,
28x28, 14x14, 7x7 outputs; NCHW, batch 1, random N(0, 1/24^2) kernels)
factored by Tucker-2 (rank ratio 1/4 and 1/2 of C and of F) and CP (rank
ratio 1/4 and 1/2 of min(F, 9 C)), forced and as the pass keeps them,
against our dense convolution and torch's conv2d (dense).

resnet18: ResNet-18 (batch 1, 224x224, random weights, batch norm folded)
dense and with its convolutions decomposed where the factors pay
(Tucker-2 at tolerance 0.3, at rank ratios 1/2 and 1/4; CP at 1/4), the
time and the cosine of its logits to the dense model's; ORT on the dense
model with --ort.

memory: peak resident memory and time of compress-opt decomposing one
512x512x3x3 kernel (Tucker-2 and CP at rank ratio 1/4) and one 4096x4096
matmul weight (SVD at rank ratio 1/4).

compress-run --repeat times ours (median of enough calls for 0.3 s, pinned
with taskset; the lowest median of P processes), the same for the peer.
Prints median ms and speed-up against ours dense, with the FLOP fraction
and the relative weight error of each rank. --plot draws the speed-up of
every factored convolution and linear layer against its FLOP fraction.
"""

import argparse
import os
import re
import subprocess
import sys
import tempfile

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import prune  # noqa: E402  (timing helpers)
import quantize  # noqa: E402  (models, pinning)

ROOT = quantize.ROOT
SHAPES = [("64x1024x1024", 64, 1024, 1024), ("1x1024x1024", 1, 1024, 1024),
          ("256x1024x1024", 256, 1024, 1024), ("8x2048x1024", 8, 2048, 1024)]
RATIOS = [0.0625, 0.125, 0.25, 0.375, 0.5]
CONV_CASES = [("64ch 56x56", 64, 64, 56, 3, 1, False, 1),
              ("128ch 28x28", 128, 128, 28, 3, 1, False, 1),
              ("256ch 14x14", 256, 256, 14, 3, 1, False, 1),
              ("512ch 7x7", 512, 512, 7, 3, 1, False, 1)]
CONV_VARIANTS = [("tucker2", 0.25), ("tucker2", 0.5), ("cp", 0.25),
                 ("cp", 0.5)]
RESNET_VARIANTS = [
    ("tucker2 tolerance 0.3", "method=tucker2 tolerance=0.3"),
    ("tucker2 rank 1/2", "method=tucker2 rank-ratio=0.5"),
    ("tucker2 rank 1/4", "method=tucker2 rank-ratio=0.25"),
    ("cp rank 1/4", "method=cp rank-ratio=0.25")]
SECTIONS = ("linear", "conv", "resnet18", "memory")


def weight(rng, k, n):
    """A K x N weight whose singular values decay as 1 / (1 + i / 16)."""
    u, _ = np.linalg.qr(rng.standard_normal((k, min(k, n))))
    v, _ = np.linalg.qr(rng.standard_normal((n, min(k, n))))
    s = 1.0 / (1.0 + np.arange(min(k, n)) / 16.0)
    return ((u * s) @ v.T).astype(np.float32)


def torch_chain(mats, x, threads, min_time):
    """Median ms of x @ M1 @ M2 ... in PyTorch."""
    call = " @ ".join("a[%d]" % i for i in range(len(mats) + 1))
    return prune.torch_time("", call, [x] + mats, threads, min_time)

def factors_of(path):
    """The two factor constants of a decomposed model (K x r, r x N)."""
    text = open(path).read()
    return re.findall(r"compress.decomposed = \{[^}]*weight_error = "
                      r"([0-9.e+-]+)", text)


def linear_section(args, opt, runner, tmp, rng, lines, points):
    """Tables of the factored linear layers."""
    for label, m, k, n in SHAPES:
        w = weight(rng, k, n)
        x = rng.standard_normal((m, k)).astype(np.float32)
        x_path = os.path.join(tmp, "x.npy")
        np.save(x_path, x)
        dense = os.path.join(tmp, "dense.mlir")
        with open(dense, "w") as f:
            f.write(quantize.matmul_model(w, m))
        models = {"dense": dense}
        errors, fractions, mats = {}, {}, {}
        for ratio in RATIOS:
            r = max(1, round(ratio * min(k, n)))
            forced = os.path.join(tmp, "forced%g.mlir" % ratio)
            auto = os.path.join(tmp, "auto%g.mlir" % ratio)
            quantize.run([opt, dense, "--compress-cp-decompose=rank-ratio="
                          "%g only-faster=false" % ratio, "-o", forced])
            quantize.run([opt, dense, "--compress-cp-decompose=rank-ratio="
                          "%g" % ratio, "-o", auto])
            models[("factors", ratio)] = forced
            models[("ours", ratio)] = auto
            found = factors_of(forced)
            errors[ratio] = float(found[0]) if found else float("nan")
            fractions[ratio] = r * (k + n) / (k * n)
            # The peer's factors: the same rank by numpy's SVD.
            u, s, vt = np.linalg.svd(w, full_matrices=False)
            mats[ratio] = [(u[:, :r] * s[:r]).astype(np.float32),
                           np.ascontiguousarray(vt[:r]).astype(np.float32)]
        for threads in args.threads_list:
            peers = {"torch": lambda: torch_chain([w], x, threads,
                                                  args.min_time)}
            for ratio in RATIOS:
                peers[("torch", ratio)] = (
                    lambda ws=mats[ratio]: torch_chain(ws, x, threads,
                                                       args.min_time))
            best = prune.best_times(args, runner, models, x_path, threads,
                                    peers)
            d = best["dense"]
            peer = ", torch dense %.3g ms" % best["torch"] \
                if "torch" in best else ""
            lines.append("")
            lines.append("linear %s, %d thread(s): median ms (speed-up "
                         "against ours dense, %.3g ms%s)"
                         % (label, threads, d, peer))
            lines.append("")
            lines.append("| rank ratio | FLOPs | weight error | ours "
                         "factors | ours | torch factors |")
            lines.append("|---|---:|---:|---:|---:|---:|")
            for ratio in RATIOS:
                cells = ["%g" % ratio, "%.2f" % fractions[ratio],
                         "%.3f" % errors[ratio]]
                for key in (("factors", ratio), ("ours", ratio),
                            ("torch", ratio)):
                    value = best.get(key)
                    cells.append("%.3g (%.2fx)" % (value, d / value)
                                 if value else "")
                lines.append("| " + " | ".join(cells) + " |")
                points.append(("svd", threads, fractions[ratio],
                               d / best[("factors", ratio)]))
            print("\n".join(lines[-(len(RATIOS) + 5):]), flush=True)


def record_of(path):
    """(FLOP fraction, weight error) of the first factored layer of a
    decomposed model, or None when it stayed dense."""
    text = open(path).read()
    found = re.search(r"compress.decomposed = \{[^}]*flops = (\d+)[^}]*"
                      r"original_flops = (\d+)[^}]*weight_error = "
                      r"([0-9.eE+-]+)", text)
    if not found:
        return None
    return int(found.group(1)) / int(found.group(2)), float(found.group(3))


def conv_section(args, opt, runner, tmp, rng, lines, points):
    """Tables of the factored convolutions."""
    for case in CONV_CASES:
        w, x, x_path, dense = prune.conv_case(tmp, rng, case)
        models = {"dense": dense}
        info = {}
        for method, ratio in CONV_VARIANTS:
            options = "method=%s rank-ratio=%g" % (method, ratio)
            forced = os.path.join(tmp, "%s%g.forced.mlir" % (method, ratio))
            auto = os.path.join(tmp, "%s%g.auto.mlir" % (method, ratio))
            quantize.run([opt, dense, "--compress-cp-decompose=" + options +
                          " only-faster=false", "-o", forced])
            quantize.run([opt, dense, "--compress-cp-decompose=" + options,
                          "-o", auto])
            models[("factors", method, ratio)] = forced
            models[("ours", method, ratio)] = auto
            info[(method, ratio)] = record_of(forced)
        for threads in args.threads_list:
            peers = {"torch": lambda: prune.torch_conv(w, x, threads,
                                                       args.min_time)}
            best = prune.best_times(args, runner, models, x_path, threads,
                                    peers)
            d = best["dense"]
            peer = ", torch dense %.3g ms (%.2fx)" % (
                best["torch"], d / best["torch"]) if "torch" in best else ""
            lines.append("")
            lines.append("conv %s, %d thread(s): median ms (speed-up against "
                         "ours dense, %.3g ms%s)" % (case[0], threads, d,
                                                     peer))
            lines.append("")
            lines.append("| method | rank ratio | FLOPs | weight error | "
                         "ours factors | ours |")
            lines.append("|---|---:|---:|---:|---:|---:|")
            for method, ratio in CONV_VARIANTS:
                fraction, error = info[(method, ratio)]
                forced = best[("factors", method, ratio)]
                auto = best[("ours", method, ratio)]
                lines.append("| %s | %g | %.2f | %.3f | %.3g (%.2fx) | "
                             "%.3g (%.2fx) |" % (method, ratio, fraction,
                                                 error, forced, d / forced,
                                                 auto, d / auto))
                points.append((method, threads, fraction, d / forced))
            print("\n".join(lines[-(len(CONV_VARIANTS) + 5):]), flush=True)


def logits(runner, model, x_path, tmp):
    out = os.path.join(tmp, "logits.npy")
    quantize.run([runner, model, "-e", "predict", "--input", x_path,
                  "--output", out])
    return np.load(out).astype(np.float64).ravel()


def resnet_section(args, opt, runner, tmp, lines):
    """ResNet-18 dense and with its convolutions decomposed (each of
    RESNET_VARIANTS) where the factors pay."""
    net, x_path, dense = prune.resnet_model(args, opt, tmp)
    models = {"dense": dense}
    notes = {}
    reference = logits(runner, dense, x_path, tmp)
    for key, options in RESNET_VARIANTS:
        path = os.path.join(tmp, "resnet18.%s.mlir" % re.sub(r"\W+", "_", key))
        quantize.run([opt, dense, "--compress-cp-decompose=" + options, "-o",
                      path])
        text = open(path).read()
        factored = len(re.findall(r"compress.decomposed = \{factor = 1 ",
                                  text))
        kept = len(re.findall(r"compress.decomposition_skipped", text))
        out = logits(runner, path, x_path, tmp)
        cosine = float(out @ reference / (np.linalg.norm(out) *
                                          np.linalg.norm(reference)))
        models[key] = path
        notes[key] = (factored, kept, cosine)
    for threads in args.threads_list:
        best = prune.resnet_times(args, runner, models, net, x_path, threads)
        lines.append("")
        lines.append("ResNet-18 (random He-initialized weights) with its "
                     "convolutions decomposed, %d thread(s): median ms "
                     "(speed-up against ours dense)" % threads)
        lines.append("")
        lines.append("| model | convolutions factored / kept | ours | "
                     "cosine of the logits to dense |")
        lines.append("|---|---:|---:|---:|")
        ort = ", ORT %.3g" % best["ort"] if "ort" in best else ""
        lines.append("| dense%s | | %.3g (1.00x) | 1 |" % (ort,
                                                         best["dense"]))
        for key, _ in RESNET_VARIANTS:
            factored, kept, cosine = notes[key]
            lines.append("| %s | %d / %d | %.3g (%.2fx) | %.4f |" % (
                key, factored, kept, best[key], best["dense"] / best[key],
                cosine))
        print("\n".join(lines[-(len(RESNET_VARIANTS) + 5):]), flush=True)


def memory_section(args, opt, tmp, rng, lines):
    """Peak memory and time of compress-opt decomposing big weights."""
    conv = os.path.join(tmp, "conv512.mlir")
    w = (rng.standard_normal((512, 512, 3, 3)) / 24).astype(np.float32)
    with open(conv, "w") as f:
        f.write(quantize.conv_like_model("conv_2d_nchw_fchw", "1x512x9x9",
                                         "512x512x3x3", "1x512x7x7",
                                         w.reshape(-1)))
    linear = os.path.join(tmp, "linear4096.mlir")
    with open(linear, "w") as f:
        f.write(quantize.matmul_model(
            rng.standard_normal((4096, 4096)).astype(np.float32), 1))
    lines.append("")
    lines.append("compress-opt decomposing one big weight (rank ratio 1/4, "
                 "only-faster=false): peak resident memory and time")
    lines.append("")
    lines.append("| weight | method | peak MiB | seconds |")
    lines.append("|---|---|---:|---:|")
    cases = [("512x512x3x3 conv", conv, "tucker2"),
             ("512x512x3x3 conv", conv, "cp"),
             ("4096x4096 matmul", linear, "svd")]
    for label, model, method in cases:
        out = subprocess.run(
            ["/usr/bin/time", "-f", "%M %e", opt, model,
             "--compress-cp-decompose=method=%s rank-ratio=0.25 "
             "only-faster=false" % method, "-o", os.devnull],
            capture_output=True, text=True, check=True)
        kb, seconds = out.stderr.strip().splitlines()[-1].split()
        lines.append("| %s | %s | %.0f | %.1f |" % (label, method,
                                                   int(kb) / 1024,
                                                   float(seconds)))
        print(lines[-1], flush=True)


def plot(points, path):
    """Speed-up against FLOP fraction, one series per method and thread
    count."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    fig, ax = plt.subplots(figsize=(6, 4))
    for method in sorted({p[0] for p in points}):
        for threads in sorted({p[1] for p in points}):
            xs = [p[2] for p in points if p[0] == method and p[1] == threads]
            ys = [p[3] for p in points if p[0] == method and p[1] == threads]
            if xs:
                ax.scatter(xs, ys, label="%s, %d thread(s)" % (method,
                                                                threads),
                           marker="o" if threads == 1 else "x")
    grid = np.linspace(0.02, 1.2, 100)
    ax.plot(grid, 1 / grid, "k:", label="1 / FLOP fraction")
    ax.axhline(1, color="grey", lw=0.5)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("FLOPs of the factors / FLOPs of the dense layer")
    ax.set_ylabel("speed-up against our dense layer")
    ax.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(path, dpi=110)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--bin", default=os.path.join(ROOT, "build", "bin"))
    ap.add_argument("--threads", default="1,2")
    ap.add_argument("--processes", type=int, default=1)
    ap.add_argument("--min-time", type=float, default=0.3)
    ap.add_argument("--only", default=",".join(SECTIONS))
    ap.add_argument("--ort", help="ONNX Runtime (node) directory")
    ap.add_argument("--markdown", help="write the tables to this file")
    ap.add_argument("--plot", help="draw speed-up against FLOPs here")
    args = ap.parse_args()
    args.threads_list = [int(t) for t in args.threads.split(",")]
    only = args.only.split(",")
    unknown = [s for s in only if s not in SECTIONS]
    if unknown:
        ap.error("unknown sections %s (expected %s)" % (unknown, SECTIONS))
    opt = os.path.join(args.bin, "compress-opt")
    runner = os.path.join(args.bin, "compress-run")
    rng = np.random.default_rng(0)
    lines, points = [], []
    with tempfile.TemporaryDirectory() as tmp:
        if "linear" in only:
            linear_section(args, opt, runner, tmp, rng, lines, points)
        if "conv" in only:
            conv_section(args, opt, runner, tmp, rng, lines, points)
        if "resnet18" in only:
            resnet_section(args, opt, runner, tmp, lines)
        if "memory" in only:
            memory_section(args, opt, tmp, rng, lines)
    if args.markdown:
        with open(args.markdown, "w") as f:
            f.write("\n".join(lines) + "\n")
    if args.plot and points:
        plot(points, args.plot)
    return 0


if __name__ == "__main__":
    sys.exit(main())
