#!/usr/bin/python3
"""Benchmark: low-rank factors (compress-cp-decompose) against dense layers.

Usage:
    benchmarks/decompose.py [--bin build/bin] [--threads 1,2] [--processes P]
                            [--markdown OUT.md]

linear: for each layer shape (batch x input x output), a random weight
with a decaying spectrum (singular values 1/(1 + i/16)) factored at each
rank ratio (method=svd, only-faster=false: every ratio factored) and
timed, side by side in one run:

  ours dense     the layer as compress-to-llvm compiles it
  ours factors   the two factor matmuls (forced)
  ours           what compress-cp-decompose keeps by default (the factors
                 where the FLOP fraction says they run faster, else dense)
  torch          PyTorch 1.13's dense x @ W and its factor chain (x @ A) @ B

compress-run --repeat times ours (median of enough calls for 0.3 s, pinned
with taskset; the lowest median of P processes), the same for the peer.
Prints median ms and speed-up against ours dense, with the FLOP fraction
r (K + N) / (K N) and the relative weight error of each rank.
"""

import argparse
import os
import re
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


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--bin", default=os.path.join(ROOT, "build", "bin"))
    ap.add_argument("--threads", default="1,2")
    ap.add_argument("--processes", type=int, default=1)
    ap.add_argument("--min-time", type=float, default=0.3)
    ap.add_argument("--markdown", help="write the tables to this file")
    args = ap.parse_args()
    opt = os.path.join(args.bin, "compress-opt")
    runner = os.path.join(args.bin, "compress-run")
    threads_list = [int(t) for t in args.threads.split(",")]
    rng = np.random.default_rng(0)
    lines = []
    with tempfile.TemporaryDirectory() as tmp:
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
            for threads in threads_list:
                peers = {"torch": lambda: torch_chain([w], x, threads,
                                                      args.min_time)}
                for ratio in RATIOS:
                    peers[("torch", ratio)] = (
                        lambda ws=mats[ratio]: torch_chain(ws, x, threads,
                                                           args.min_time))
                best = prune.best_times(args, runner, models, x_path,
                                        threads, peers)
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
                print("\n".join(lines[-(len(RATIOS) + 5):]), flush=True)
    if args.markdown:
        with open(args.markdown, "w") as f:
            f.write("\n".join(lines) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
