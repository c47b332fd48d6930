#!/usr/bin/python3
"""Accuracy of the digits models with their weights replaced by low-rank
factors.

Usage:
    decompose_accuracy.py --bin BUILD/bin [--models mlp cnn] [--check]
                          [--json OUT.json]

For each configuration, factors the model with compress-opt
--compress-cp-decompose: the MLP's three matmul weights (64 x 64, 64 x 32,
32 x 10) by truncated SVD (only-faster=false, so every layer is factored at
the rank asked), the CNN's two convolutions (8 x 1 x 3 x 3 and 16 x 8 x 3
x 3) by CP or Tucker-2 (only where the factors run faster); plain, or
data-aware with the Gram matrices of a calibration on the training images
(compress-instrument + compress-run --calibration-out). Runs the model on
the held-out images with compress-run and prints top-1 accuracy, the drop
against fp32 in points and the fraction of the dense model's weights and
multiply-adds left in the factored layers (compress-report: the matmuls of
the MLP, the convolutions of the CNN). No fine-tuning.

With --check, exits 1 when a configuration loses more accuracy than its
budget or keeps more of the FLOPs than its FLOP budget.
"""

import json
import os
import sys
import tempfile

from common import HERE, accuracy, calibrate, finish, parse_args, run

# model: [(name, compress-cp-decompose options, calibrated, accuracy budget
#          in points or None, FLOP budget (fraction left) or None)]
CONFIGS = {
    "mlp": [
        # Rank 8 for every layer: 1/8 of the first layer's rank, 1/4 of the
        # second's, 8 of the classifier's 10.
        ("rank 8 svd", "rank=8", False, None, None),
        ("rank 8 svd calibrated", "rank=8", True, 1.0, None),
        ("rank 1/4 svd", "rank-ratio=0.25", False, None, None),
        ("rank 1/4 svd calibrated", "rank-ratio=0.25", True, None, None),
        ("rank 1/2 svd", "rank-ratio=0.5", False, None, None),
        # Half of every layer's rank, the classifier's 10 outputs through 5
        # directions: 15 points lost plain, 9 calibrated.
        ("rank 1/2 svd calibrated", "rank-ratio=0.5", True, None, None),
        # The pass's default keeps a layer dense where its factors would
        # not run faster: at half rank the 64 x 64 layer (rank 32: as many
        # multiply-adds) and the classifier (10 outputs fill one vector of
        # 16, so its factors cost more vector multiply-adds than it does).
        ("rank 1/2 svd where faster", "rank-ratio=0.5 only-faster=true",
         False, None, None),
        ("rank 1/2 svd where faster calibrated",
         "rank-ratio=0.5 only-faster=true", True, 3.0, None),
        ("tolerance 0.3 svd", "tolerance=0.3", False, None, None),
        ("tolerance 0.3 svd calibrated", "tolerance=0.3", True, None, None),
    ],
    "cnn": [
        ("rank 10 cp", "method=cp rank=10", False, None, None),
        ("rank 10 cp calibrated", "method=cp rank=10", True, None, None),
        ("tolerance 0.5 cp", "method=cp tolerance=0.5", False, None, None),
        # The smallest CP rank of each convolution whose output error over
        # the calibration images is at most 0.2 (the first convolution,
        # one input channel, stays: no rank that pays is within it).
        ("tolerance 0.2 cp calibrated", "method=cp tolerance=0.2", True, 2.0,
         0.5),
        ("rank 1/2 tucker2", "method=tucker2 rank-ratio=0.5", False, None,
         None),
        ("rank 1/2 tucker2 calibrated", "method=tucker2 rank-ratio=0.5", True,
         None, None),
        ("tolerance 0.3 tucker2", "method=tucker2 tolerance=0.3", False, None,
         None),
    ],
}

# The ops whose weights and FLOPs each model's fractions count.
KINDS = {"mlp": "contraction", "cnn": "convolution"}


def counts(opt, model_path, kind):
    """Weights and FLOPs of the model's ops of `kind` (compress-report)."""
    result = run([opt, model_path, "--compress-report", "-o", os.devnull])
    ops = [op for op in json.loads(result.stderr)["ops"]
           if op["kind"] == kind]
    return sum(op["params"] for op in ops), sum(op["flops"] for op in ops)


def main():
    args, opt, runner, test_x = parse_args(__doc__.splitlines()[0])
    rows, failures = [], []
    with tempfile.TemporaryDirectory() as tmp:
        for model in args.models:
            model_path = os.path.join(HERE, model + ".mlir")
            logits = os.path.join(tmp, "logits.npy")
            run([runner, model_path, "-e", "predict", "--input", test_x,
                 "--output", logits])
            base = accuracy(logits)
            dense_params, dense_flops = counts(opt, model_path, KINDS[model])
            rows.append((model, "dense fp32", base, 0.0, 1.0, 1.0))
            calibration = calibrate(opt, runner, model, model_path, tmp)
            for name, options, calibrated, budget, flop_budget in \
                    CONFIGS[model]:
                if model == "mlp" and "only-faster" not in options:
                    options += " only-faster=false"
                if calibrated:
                    options += " calibration=" + calibration
                factored = os.path.join(tmp, "factored.mlir")
                run([opt, model_path, "--compress-cp-decompose=" + options,
                     "-o", factored])
                run([runner, factored, "-e", "predict", "--input", test_x,
                     "--output", logits])
                acc = accuracy(logits)
                drop = (base - acc) * 100
                params, flops = counts(opt, factored, KINDS[model])
                rows.append((model, name, acc, drop, params / dense_params,
                             flops / dense_flops))
                if budget is not None and drop > budget + 1e-9:
                    failures.append("%s %s: accuracy drop %.2f points > %.1f"
                                    % (model, name, drop, budget))
                if flop_budget is not None and \
                        flops / dense_flops > flop_budget:
                    failures.append("%s %s: %.3f of the FLOPs left > %.2f"
                                    % (model, name, flops / dense_flops,
                                       flop_budget))
    print("%-5s %-38s %9s %7s %9s %9s" % ("model", "configuration",
                                          "accuracy", "drop", "weights",
                                          "flops"))
    for model, name, acc, drop, params, flops in rows:
        print("%-5s %-38s %9.4f %7.2f %9.3f %9.3f" % (model, name, acc, drop,
                                                      params, flops))
    return finish(args, rows,
                  ("model", "configuration", "accuracy", "drop_points",
                   "weight_fraction", "flop_fraction"), failures)


if __name__ == "__main__":
    sys.exit(main())
