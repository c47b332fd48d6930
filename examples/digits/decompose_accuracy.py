#!/usr/bin/python3
"""Accuracy of the digits MLP with its weights replaced by low-rank factors.

Usage:
    decompose_accuracy.py --bin BUILD/bin [--check] [--json OUT.json]

For each configuration, factors the MLP's three matmul weights (64 x 64,
64 x 32, 32 x 10) with compress-opt --compress-cp-decompose (method=svd,
only-faster=false so every layer is factored at the rank asked), plain or
whitened by the Gram matrices of a calibration on the training images
(compress-instrument + compress-run --calibration-out), runs the model on
the held-out images with compress-run, and prints top-1 accuracy, the drop
against fp32 in points and the fraction of the dense model's weights and
multiply-adds left (compress-report). No fine-tuning.

With --check, exits 1 when a configuration with an accuracy budget loses
more than its budget.
"""

import json
import os
import sys
import tempfile

from common import HERE, accuracy, calibrate, finish, parse_args, run

# (name, compress-cp-decompose options, calibrated, accuracy budget or None)
CONFIGS = [
    # Rank 8 for every layer: 1/8 of the first layer's rank, 1/4 of the
    # second's, 8 of the classifier's 10.
    ("rank 8 svd", "rank=8", False, None),
    ("rank 8 svd calibrated", "rank=8", True, 1.0),
    ("rank 1/4 svd", "rank-ratio=0.25", False, None),
    ("rank 1/4 svd calibrated", "rank-ratio=0.25", True, None),
    ("rank 1/2 svd", "rank-ratio=0.5", False, None),
    # Half of every layer's rank, the classifier's 10 outputs through 5
    # directions: 15 points lost plain, 9 calibrated.
    ("rank 1/2 svd calibrated", "rank-ratio=0.5", True, None),
    ("tolerance 0.3 svd", "tolerance=0.3", False, None),
    ("tolerance 0.3 svd calibrated", "tolerance=0.3", True, None),
]


def counts(opt, model_path):
    """Weights and FLOPs of the model's contractions (compress-report)."""
    result = run([opt, model_path, "--compress-report", "-o", os.devnull])
    ops = json.loads(result.stderr)["ops"]
    return sum(op["params"] for op in ops), sum(op["flops"] for op in ops)


def main():
    args, opt, runner, test_x = parse_args(__doc__.splitlines()[0])
    rows, failures = [], []
    with tempfile.TemporaryDirectory() as tmp:
        model_path = os.path.join(HERE, "mlp.mlir")
        logits = os.path.join(tmp, "logits.npy")
        run([runner, model_path, "-e", "predict", "--input", test_x,
             "--output", logits])
        base = accuracy(logits)
        dense_params, dense_flops = counts(opt, model_path)
        rows.append(("mlp", "dense fp32", base, 0.0, 1.0, 1.0))
        calibration = calibrate(opt, runner, "mlp", model_path, tmp)
        for name, options, calibrated, budget in CONFIGS:
            options += " only-faster=false"
            if calibrated:
                options += " calibration=" + calibration
            factored = os.path.join(tmp, "factored.mlir")
            run([opt, model_path, "--compress-cp-decompose=" + options, "-o",
                 factored])
            run([runner, factored, "-e", "predict", "--input", test_x,
                 "--output", logits])
            acc = accuracy(logits)
            drop = (base - acc) * 100
            params, flops = counts(opt, factored)
            rows.append(("mlp", name, acc, drop, params / dense_params,
                         flops / dense_flops))
            if budget is not None and drop > budget + 1e-9:
                failures.append("mlp %s: accuracy drop %.2f points > %.1f"
                                % (name, drop, budget))
    print("%-5s %-30s %9s %7s %9s %9s" % ("model", "configuration",
                                          "accuracy", "drop", "weights",
                                          "flops"))
    for model, name, acc, drop, params, flops in rows:
        print("%-5s %-30s %9.4f %7.2f %9.3f %9.3f" % (model, name, acc, drop,
                                                      params, flops))
    return finish(args, rows,
                  ("model", "configuration", "accuracy", "drop_points",
                   "weight_fraction", "flop_fraction"), failures)


if __name__ == "__main__":
    sys.exit(main())
