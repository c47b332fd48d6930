#!/usr/bin/python3
"""Accuracy and weight bytes of the digits models under every quantization.

Usage:
    quantize_accuracy.py --bin BUILD/bin [--models mlp cnn] [--check]
                         [--json OUT.json]

For each model and configuration, quantizes the model with compress-opt
(calibrating static quantization on the training images with
compress-instrument + compress-run --calibration-out), runs it on the held-out
images with compress-run, and prints top-1 accuracy, the drop against fp32 in
points, and the weight bytes (compress-report) against fp32. Three static
configurations of the MLP replace one calibrated range by a degenerate one
(zero width, +-FLT_MAX, denormal); the warnings compress-quantize prints for
them follow the table.

With --check, exits 1 when a configuration with an accuracy budget (the
issue's acceptance criteria) loses more than its budget, or when int8/int4
weights exceed 0.27x/0.15x of the fp32 bytes.
"""

import json
import os
import sys
import tempfile

from common import HERE, accuracy, calibrate, finish, parse_args, run


FLT_MAX = 3.4028234663852886e38

# (name, compress-quantize options, accuracy budget in points or None,
#  maximum bytes ratio or None, models it applies to[, calibration entries
#  replaced by degenerate ranges])
CONFIGS = [
    ("int8 per-channel weight-only", "bits=8", 0.5, 0.27, ("mlp", "cnn")),
    ("int8 per-tensor weight-only", "bits=8 granularity=per-tensor", None,
     0.27, ("mlp", "cnn")),
    ("int8 asymmetric weight-only", "bits=8 symmetric=false", None, 0.27,
     ("mlp", "cnn")),
    ("int4 per-group(32) weight-only",
     "bits=4 granularity=per-group group-size=32", 2.0, 0.15, ("mlp",)),
    ("int4 per-channel weight-only", "bits=4", 2.0, 0.15, ("mlp", "cnn")),
    ("log2 4-bit per-channel", "bits=4 scheme=log2", None, 0.15,
     ("mlp", "cnn")),
    ("log2 8-bit per-channel", "bits=8 scheme=log2", None, 0.27,
     ("mlp", "cnn")),
    ("int8 static minmax", "mode=static calibration-method=minmax", 1.0, None,
     ("mlp", "cnn")),
    ("int8 static percentile", "mode=static calibration-method=percentile",
     None, None, ("mlp", "cnn")),
    ("int8 static entropy", "mode=static calibration-method=entropy", None,
     None, ("mlp", "cnn")),
    ("int8 static minmax asymmetric",
     "mode=static calibration-method=minmax symmetric=false", 1.0, None,
     ("mlp", "cnn")),
    ("int8 dynamic", "mode=dynamic", 1.0, None, ("mlp", "cnn")),
    ("int4 x int8 dynamic", "bits=4 mode=dynamic", 2.0, 0.15, ("mlp", "cnn")),
    ("int4 x int8 static minmax", "bits=4 mode=static", 2.0, 0.15,
     ("mlp", "cnn")),
    ("int4 per-group(32) x int8 dynamic",
     "bits=4 mode=dynamic granularity=per-group group-size=32", 2.0, 0.15,
     ("mlp",)),
    # A degenerate calibrated range is warned about and its op quantizes the
    # activation with the run-time range: the accuracy stays.
    ("int8 static, predict/1 range [0, 0]", "mode=static", 1.0, None,
     ("mlp",), {"predict/1": [0, 0]}),
    ("int8 static, predict/0 range +-FLT_MAX", "mode=static", 1.0, None,
     ("mlp",), {"predict/0": [-FLT_MAX, FLT_MAX]}),
    ("int8 static, predict/2 range [0, 1e-40]", "mode=static", 1.0, None,
     ("mlp",), {"predict/2": [0, 1e-40]}),
    ("fp16 weights", "float-type=fp16", 0.5, 0.5, ("mlp", "cnn")),
    ("bf16 weights", "float-type=bf16", 0.5, 0.5, ("mlp", "cnn")),
]


def report_bytes(opt, model_path):
    """(stored, original) weight bytes from compress-report."""
    result = run([opt, model_path, "--compress-report", "-o", os.devnull])
    total = json.loads(result.stderr)["total"]
    return total["bytes"], total["original_bytes"]


def degenerate_calibration(calibration, edits, path):
    """Writes a copy of `calibration` whose `edits` ranges replace every
    method's range of those tensors."""
    with open(calibration) as f:
        data = json.load(f)
    for key, value in edits.items():
        ranges = data["tensors"][key]["ranges"]
        for method in ranges:
            ranges[method] = value
    with open(path, "w") as f:
        json.dump(data, f)
    return path


def main():
    args, opt, runner, test_x = parse_args(__doc__.splitlines()[0])

    rows, failures, warnings = [], [], []
    with tempfile.TemporaryDirectory() as tmp:
        for model in args.models:
            model_path = os.path.join(HERE, model + ".mlir")
            logits = os.path.join(tmp, "logits.npy")
            run([runner, model_path, "-e", "predict", "--input", test_x,
                 "--output", logits])
            base = accuracy(logits)
            base_bytes, _ = report_bytes(opt, model_path)
            rows.append((model, "fp32", base, 0.0, base_bytes, 1.0))
            calibration = calibrate(opt, runner, model, model_path, tmp)
            for name, options, budget, max_ratio, models, *edits in CONFIGS:
                if model not in models:
                    continue
                if "mode=static" in options:
                    path = calibration
                    if edits:
                        path = degenerate_calibration(
                            calibration, edits[0],
                            os.path.join(tmp, "degenerate.json"))
                    options += " calibration=" + path
                quantized = os.path.join(tmp, "quantized.mlir")
                result = run([opt, model_path, "--compress-quantize=" +
                              options, "-o", quantized])
                warnings += ["%s %s: %s" % (model, name, line.split(
                    "warning: ", 1)[1]) for line in result.stderr.splitlines()
                             if "warning: " in line]
                run([runner, quantized, "-e", "predict", "--input", test_x,
                     "--output", logits])
                acc = accuracy(logits)
                drop = (base - acc) * 100
                stored, original = report_bytes(opt, quantized)
                ratio = stored / original
                rows.append((model, name, acc, drop, stored, ratio))
                if budget is not None and drop > budget + 1e-9:
                    failures.append("%s %s: accuracy drop %.2f points > %.1f"
                                    % (model, name, drop, budget))
                if max_ratio is not None and ratio > max_ratio:
                    failures.append("%s %s: %.3fx the fp32 weight bytes > "
                                    "%.2fx" % (model, name, ratio, max_ratio))

    print("%-5s %-40s %9s %7s %8s %7s" % ("model", "configuration",
                                         "accuracy", "drop", "bytes",
                                         "ratio"))
    for model, name, acc, drop, stored, ratio in rows:
        print("%-5s %-40s %9.4f %7.2f %8d %7.3f" % (model, name, acc, drop,
                                                    stored, ratio))
    for warning in warnings:
        print("warning: " + warning)
    return finish(args, rows,
                  ("model", "configuration", "accuracy", "drop_points",
                   "weight_bytes", "ratio"),
                  failures)


if __name__ == "__main__":
    sys.exit(main())
