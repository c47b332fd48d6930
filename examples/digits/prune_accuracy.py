#!/usr/bin/python3
"""Accuracy of the digits models under every pruning configuration.

Usage:
    prune_accuracy.py --bin BUILD/bin [--models mlp cnn] [--check]
                      [--json OUT.json]

For each model and configuration, prunes the model with compress-opt
--compress-prune (and quantizes it with --compress-quantize where the
configuration says "then int8") (method=reconstruct reads the Gram matrices of a
calibration on the training images: compress-instrument + compress-run
--calibration-out), runs it on the held-out images with compress-run, and
prints top-1 accuracy, the drop against fp32 in points and the fraction of
the weights that are zero and the weights left against the dense model
(compress-report). No fine-tuning.

With --check, exits 1 when a configuration with an accuracy budget loses
more than its budget.
"""

import json
import os
import sys
import tempfile

from common import HERE, accuracy, calibrate, finish, parse_args, run


# (name, compress-prune options, accuracy budget in points or None, models)
CONFIGS = [
    ("50% unstructured magnitude", "sparsity=0.5", None, ("mlp", "cnn")),
    ("50% unstructured reconstruct", "sparsity=0.5 method=reconstruct", 1.0,
     ("mlp", "cnn")),
    ("80% unstructured magnitude", "sparsity=0.8", None, ("mlp", "cnn")),
    ("80% unstructured reconstruct", "sparsity=0.8 method=reconstruct", 1.5,
     ("mlp",)),
    # The CNN's first convolution reduces over 9 inputs only: 80% of each
    # of its rows is too much; one threshold over all layers spares it.
    ("80% unstructured reconstruct", "sparsity=0.8 method=reconstruct", None,
     ("cnn",)),
    ("80% unstructured activation", "sparsity=0.8 criterion=activation",
     None, ("mlp", "cnn")),
    ("80% global magnitude", "sparsity=0.8 scope=global", None,
     ("mlp", "cnn")),
    ("80% global reconstruct",
     "sparsity=0.8 scope=global method=reconstruct", 1.5, ("mlp", "cnn")),
    ("2:4 magnitude", "structure=n:m n=2 m=4", None, ("mlp", "cnn")),
    ("2:4 reconstruct", "structure=n:m n=2 m=4 method=reconstruct", 1.5,
     ("mlp", "cnn")),
    ("1:4 reconstruct", "structure=n:m n=1 m=4 method=reconstruct", None,
     ("mlp", "cnn")),
    ("50% 1x16 blocks magnitude", "sparsity=0.5 structure=block block=1x16",
     None, ("mlp",)),
    # 25% of the filters of every convolution (the classifier's 10 outputs
    # reach the function result and stay); the tensors shrink.
    ("25% channels magnitude", "sparsity=0.25 structure=channel", None,
     ("cnn",)),
    ("25% channels activation",
     "sparsity=0.25 structure=channel criterion=activation", None, ("cnn",)),
    ("25% channels reconstruct",
     "sparsity=0.25 structure=channel method=reconstruct", 2.0, ("cnn",)),
    ("50% channels reconstruct",
     "sparsity=0.5 structure=channel method=reconstruct", None, ("cnn",)),
    # One ranking over both convolutions' filters.
    ("25% channels global reconstruct",
     "sparsity=0.25 structure=channel scope=global method=reconstruct", 2.0,
     ("cnn",)),
    # Prune, then quantize the weights to int8 (the zeros stay zeros).
    ("2:4 reconstruct, then int8",
     ("structure=n:m n=2 m=4 method=reconstruct", "bits=8"), 2.0,
     ("mlp", "cnn")),
    ("25% channels reconstruct, then int8",
     ("sparsity=0.25 structure=channel method=reconstruct", "bits=8"), 2.5,
     ("cnn",)),
    ("50% 1x16 blocks reconstruct",
     "sparsity=0.5 structure=block block=1x16 method=reconstruct", None,
     ("mlp",)),
]


def weight_counts(opt, model_path):
    """The number of weights and of zero weights, from compress-report."""
    result = run([opt, model_path, "--compress-report", "-o", os.devnull])
    ops = json.loads(result.stderr)["ops"]
    params = sum(op["params"] for op in ops)
    zeros = sum(op["params"] * op["sparsity"] for op in ops)
    return params, zeros


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
            dense_params, dense_zeros = weight_counts(opt, model_path)
            rows.append((model, "dense fp32", base, 0.0,
                         dense_zeros / dense_params, 1.0))
            calibration = calibrate(opt, runner, model, model_path, tmp)
            for name, options, budget, models in CONFIGS:
                if model not in models:
                    continue
                options, quantize = (options if isinstance(options, tuple)
                                     else (options, None))
                if "reconstruct" in options or "activation" in options:
                    options += " calibration=" + calibration
                pruned = os.path.join(tmp, "pruned.mlir")
                cmd = [opt, model_path, "--compress-prune=" + options]
                if quantize:
                    cmd.append("--compress-quantize=" + quantize)
                run(cmd + ["-o", pruned])
                run([runner, pruned, "-e", "predict", "--input", test_x,
                     "--output", logits])
                acc = accuracy(logits)
                drop = (base - acc) * 100
                params, zeros = weight_counts(opt, pruned)
                rows.append((model, name, acc, drop, zeros / params,
                             params / dense_params))
                if budget is not None and drop > budget + 1e-9:
                    failures.append("%s %s: accuracy drop %.2f points > %.1f"
                                    % (model, name, drop, budget))

    print("%-5s %-36s %9s %7s %9s %9s" % ("model", "configuration",
                                          "accuracy", "drop", "zeros",
                                          "weights"))
    for model, name, acc, drop, zeros, kept in rows:
        print("%-5s %-36s %9.4f %7.2f %9.3f %9.3f" % (model, name, acc, drop,
                                                      zeros, kept))
    return finish(args, rows,
                  ("model", "configuration", "accuracy", "drop_points",
                   "zero_fraction", "weight_fraction"),
                  failures)


if __name__ == "__main__":
    sys.exit(main())
