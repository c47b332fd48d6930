"""Shared by the digits accuracy scripts: running the tools, top-1
accuracy on the held-out images, and calibration on the training images."""

import argparse
import json
import os
import subprocess
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))


def run(cmd):
    """Runs `cmd`; exits with its error output if it fails."""
    result = subprocess.run(cmd, capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit("command failed: %s\n%s" % (" ".join(cmd), result.stderr))
    return result


def accuracy(logits_path):
    """Top-1 accuracy of the logits in `logits_path` on test_y.npy."""
    logits = np.load(logits_path)
    labels = np.load(os.path.join(HERE, "test_y.npy"))
    return float(np.mean(np.argmax(logits, axis=1) == labels))


def calibrate(opt, runner, model, model_path, tmp):
    """Writes and returns the calibration file of `model` (ranges,
    histograms and Gram matrices over the training images)."""
    train = np.load(os.path.join(HERE, "train_x.npy"))
    inputs = []
    for i, start in enumerate(range(0, len(train), 256)):
        path = os.path.join(tmp, "train%d.npy" % i)
        np.save(path, train[start:start + 256])
        inputs += ["--input", path]
    instrumented = os.path.join(tmp, model + ".instrumented.mlir")
    calibration = os.path.join(tmp, model + ".calibration.json")
    run([opt, model_path, "--compress-instrument", "-o", instrumented])
    run([runner, instrumented, "-e", "predict"] + inputs +
        ["--calibration-out", calibration, "--output",
         os.path.join(tmp, "calibration-logits.npy")])
    return calibration


def parse_args(description):
    """The scripts' common options; returns (args, compress-opt,
    compress-run, the held-out images)."""
    ap = argparse.ArgumentParser(description=description)
    ap.add_argument("--bin", required=True,
                    help="directory holding compress-opt and compress-run")
    ap.add_argument("--models", nargs="+", default=["mlp", "cnn"],
                    choices=["mlp", "cnn"])
    ap.add_argument("--check", action="store_true",
                    help="fail when a budget is exceeded")
    ap.add_argument("--json", help="also write the results as JSON")
    args = ap.parse_args()
    return (args, os.path.join(args.bin, "compress-opt"),
            os.path.join(args.bin, "compress-run"),
            os.path.join(HERE, "test_x.npy"))


def finish(args, rows, fields, failures):
    """Writes `rows` (tuples of `fields`) to --json if asked, prints the
    failures; returns the exit code (1 with --check when a budget was
    exceeded)."""
    if args.json:
        with open(args.json, "w") as f:
            json.dump([dict(zip(fields, r)) for r in rows], f, indent=1)
    if failures:
        print("\n".join(["FAILED:"] + failures))
        return 1 if args.check else 0
    print("all budgets met")
    return 0
