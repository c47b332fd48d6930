#!/usr/bin/python3
"""Score model logits against labels (and optionally against reference logits).

Usage:
    evaluate.py LOGITS.npy LABELS.npy [--min-accuracy A]
                [--reference REF.npy [--rtol R] [--atol T]]

Prints
    accuracy: 0.9667 (348/360)
and, with --reference,
    max abs diff: 1.2e-06
    max rel diff: 3.4e-07

Exit status:
    0  all checks passed
    1  accuracy below --min-accuracy, or logits not allclose to the reference
       (numpy.allclose(logits, reference, rtol, atol))
    2  bad input: missing/unreadable file, wrong rank/shape, non-integer labels
"""

import argparse
import sys

import numpy as np


class BadInput(Exception):
    pass


def load(path, what):
    try:
        return np.load(path, allow_pickle=False)
    except FileNotFoundError:
        raise BadInput(f"{what} file not found: {path}")
    except Exception as e:  # unreadable / not an .npy file
        raise BadInput(f"cannot read {what} file {path}: {e}")


def main(argv=None):
    ap = argparse.ArgumentParser(
        description="Compute classification accuracy of LOGITS against "
                    "LABELS and optionally compare LOGITS with reference "
                    "logits.")
    ap.add_argument("logits", help=".npy float array of shape [N, C]")
    ap.add_argument("labels", help=".npy integer array of shape [N]")
    ap.add_argument("--min-accuracy", type=float, default=None,
                    help="fail (exit 1) if accuracy is below this value")
    ap.add_argument("--reference", default=None,
                    help=".npy reference logits of the same shape as LOGITS")
    ap.add_argument("--rtol", type=float, default=1e-4,
                    help="relative tolerance for --reference (default 1e-4)")
    ap.add_argument("--atol", type=float, default=1e-4,
                    help="absolute tolerance for --reference (default 1e-4)")
    args = ap.parse_args(argv)

    try:
        logits = load(args.logits, "logits")
        labels = load(args.labels, "labels")
        if logits.ndim != 2:
            raise BadInput(f"logits must have rank 2 [N, C], got shape "
                           f"{list(logits.shape)}")
        if not np.issubdtype(logits.dtype, np.floating):
            raise BadInput(f"logits must be floating point, got {logits.dtype}")
        if labels.ndim != 1:
            raise BadInput(f"labels must have rank 1 [N], got shape "
                           f"{list(labels.shape)}")
        if not np.issubdtype(labels.dtype, np.integer):
            raise BadInput(f"labels must be integers, got {labels.dtype}")
        if logits.shape[0] != labels.shape[0]:
            raise BadInput(f"shape mismatch: logits {list(logits.shape)} vs "
                           f"labels {list(labels.shape)}")
        if logits.shape[0] == 0:
            raise BadInput("empty input (N = 0)")
        if labels.min() < 0 or labels.max() >= logits.shape[1]:
            raise BadInput(f"labels out of range [0, {logits.shape[1]})")
        ref = None
        if args.reference is not None:
            ref = load(args.reference, "reference")
            if ref.shape != logits.shape:
                raise BadInput(f"shape mismatch: logits {list(logits.shape)} "
                               f"vs reference {list(ref.shape)}")
            if not np.issubdtype(ref.dtype, np.floating):
                raise BadInput(f"reference must be floating point, got "
                               f"{ref.dtype}")
    except BadInput as e:
        print(f"error: {e}", file=sys.stderr)
        return 2

    n = labels.shape[0]
    correct = int((np.argmax(logits, axis=1) == labels).sum())
    acc = correct / n
    print(f"accuracy: {acc:.4f} ({correct}/{n})")

    status = 0
    if ref is not None:
        a = logits.astype(np.float64)
        b = ref.astype(np.float64)
        diff = np.abs(a - b)
        max_abs = float(np.max(diff))  # NaN if any value is NaN
        rel = diff / np.maximum(np.abs(b), np.finfo(np.float64).tiny)
        max_rel = float(np.max(rel))
        print(f"max abs diff: {max_abs:.6g}")
        print(f"max rel diff: {max_rel:.6g}")
        if not np.allclose(a, b, rtol=args.rtol, atol=args.atol):
            bad = int((~np.isclose(a, b, rtol=args.rtol, atol=args.atol)).sum())
            print(f"FAIL: logits differ from reference {args.reference} "
                  f"(rtol={args.rtol:g}, atol={args.atol:g}): {bad} of "
                  f"{a.size} values out of tolerance, max abs diff "
                  f"{max_abs:.6g}", file=sys.stderr)
            status = 1

    if args.min_accuracy is not None and acc < args.min_accuracy:
        print(f"FAIL: accuracy {acc:.4f} is below the minimum "
              f"{args.min_accuracy:.4f}", file=sys.stderr)
        status = 1
    return status


if __name__ == "__main__":
    sys.exit(main())
