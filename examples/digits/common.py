"""Shared by the digits accuracy scripts: running the tools, top-1
accuracy on the held-out images, and calibration on the training images."""

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
