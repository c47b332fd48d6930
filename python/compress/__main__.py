"""python3 -m compress: compress an ONNX model in one command.

    python3 -m compress MODEL.onnx --quantize int8 --prune 0.5 \\
        --decompose tol=0.05 --calibrate data.npz --eval data.npz -o out/

writes out/model.mlir (the compressed model), out/report.json (sizes,
FLOPs, per-layer choices), out/libpredict.so (C entry point
_mlir_ciface_predict) and, with --eval, out/evaluation.json; prints a
summary. Data files are .npz with arrays x (the inputs, first dimension the
samples) and, for --eval, optionally y (integer labels).
"""

import argparse
import json
import os
import sys

import numpy as np

from . import api, layers
from .importer import ImportError_
from .importer.graph import load
from .runtime import RuntimeError_
from .tools import ToolError


class UsageError(Exception):
    pass


def progress_bar(total, desc):
    """A tqdm bar if tqdm is installed, else a no-op."""
    try:
        from tqdm import tqdm
        return tqdm(total=total, desc=desc, unit="batch", file=sys.stderr,
                    leave=False)
    except ImportError:
        class Nothing:
            def update(self, n=1):
                pass

            def close(self):
                pass
        return Nothing()


def parse_shape(text):
    if "=" not in text:
        raise UsageError("--input-shape %s: expected NAME=D1,D2,..." % text)
    name, dims = text.split("=", 1)
    try:
        shape = [int(d) for d in dims.split(",")]
    except ValueError:
        raise UsageError("--input-shape %s: sizes must be integers" % text)
    if any(d <= 0 for d in shape):
        raise UsageError("--input-shape %s: sizes must be positive" % text)
    return name, shape


def load_npz(path, need_labels=False):
    if not os.path.exists(path):
        raise UsageError("no such data file: %s" % path)
    try:
        data = np.load(path, allow_pickle=False)
    except Exception as e:
        raise UsageError("cannot read %s as .npz: %s" % (path, e))
    if not hasattr(data, "files") or "x" not in data.files:
        raise UsageError("%s has no array 'x' (the inputs)" % path)
    return data


def input_shapes(model, given, batch):
    """{name: shape} for every graph input: --input-shape, else the model's
    static sizes with a dynamic first dimension set to `batch`."""
    inits = {i.name for i in model.graph.initializer}
    shapes = {}
    for inp in model.graph.input:
        if inp.name in inits:
            continue
        if inp.name in given:
            shapes[inp.name] = given.pop(inp.name)
            continue
        dims = inp.type.tensor_type.shape.dim
        shape = []
        for i, d in enumerate(dims):
            if d.HasField("dim_value") and d.dim_value > 0:
                shape.append(d.dim_value)
            elif i == 0:
                shape.append(batch)
            else:
                raise UsageError(
                    "input '%s' has a dynamic dimension %d ('%s'): give "
                    "--input-shape %s=..." % (inp.name, i, d.dim_param or "?",
                                              inp.name))
        shapes[inp.name] = shape
    if given:
        raise UsageError("--input-shape names %s, not an input of the model"
                         % ", ".join(given))
    return shapes


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="python3 -m compress",
        description="Compress an ONNX model: quantize, prune, decompose; "
                    "compile it and report sizes, speed and accuracy.")
    parser.add_argument("model", help="the ONNX model")
    parser.add_argument("--quantize", help="int8, int4, fp16, bf16, log2 or "
                        "compress-quantize options ('bits=8 mode=static')")
    parser.add_argument("--prune", help="a sparsity (0.5), N:M (2:4) or "
                        "compress-prune options")
    parser.add_argument("--decompose", help="tol=T, rank-ratio=R or "
                        "compress-cp-decompose options")
    parser.add_argument("--no-fuse", action="store_true",
                        help="do not fold batch norms into the weights")
    parser.add_argument("--calibrate", metavar="DATA.npz",
                        help="calibration inputs (array x)")
    parser.add_argument("--eval", metavar="DATA.npz",
                        help="evaluation inputs x and labels y")
    parser.add_argument("--sensitivity", metavar="DATA.npz",
                        help="also measure every layer's sensitivity to "
                        "every technique on these inputs x (and labels y): "
                        "sensitivity.json, .txt and .png")
    parser.add_argument("--input-shape", action="append", default=[],
                        metavar="NAME=D1,D2,...")
    parser.add_argument("--batch", type=int, default=1,
                        help="the size of a dynamic first dimension "
                        "(default 1)")
    parser.add_argument("--threads", type=int, default=None)
    parser.add_argument("-o", "--output", required=True,
                        help="the output directory")
    args = parser.parse_args(argv)
    try:
        return run(args)
    except (UsageError, api.CompressError, ImportError_, RuntimeError_,
            ToolError) as e:
        print("error: %s" % e, file=sys.stderr)
        return 1


def run(args):
    if args.batch < 1:
        raise UsageError("--batch must be positive")
    if args.threads is not None and args.threads < 1:
        raise UsageError("--threads must be positive")
    model = load(args.model)
    given = dict(parse_shape(s) for s in args.input_shape)
    shapes = input_shapes(model, given, args.batch)
    if len(shapes) != 1 and (args.calibrate or args.eval):
        raise UsageError("--calibrate and --eval take models with one input")
    batch_shape = list(shapes.values())[0] if shapes else None

    def batches(path):
        data = load_npz(path)
        x = data["x"]
        rows = batch_shape[0]
        if list(x.shape[1:]) != list(batch_shape[1:]):
            raise UsageError("%s: x has samples of shape %s, the model takes "
                             "%s" % (path, list(x.shape[1:]),
                                     list(batch_shape[1:])))
        if len(x) < rows:
            raise UsageError("%s: x has %d samples, fewer than one batch of "
                             "%d" % (path, len(x), rows))
        return x, rows

    calibration = None
    if args.calibrate:
        cx, rows = batches(args.calibrate)
        count = len(cx) // rows

        def calibration():
            bar = progress_bar(count, "calibrating")
            for i in range(count):
                yield [np.ascontiguousarray(cx[i * rows:(i + 1) * rows],
                                            dtype=np.float32)]
                bar.update()
            bar.close()
    print("importing and compressing %s" % args.model, file=sys.stderr)
    compressed = api.compile(
        model, quantize=args.quantize, prune=_number(args.prune),
        decompose=args.decompose, fuse=not args.no_fuse,
        calibration_data=calibration, threads=args.threads,
        input_shapes=shapes)
    print("writing %s" % args.output, file=sys.stderr)
    compressed.save(args.output)
    report = compressed.report()
    summary = {"original": report["original"],
               "compressed": report["compressed"],
               "steps": report["steps"]}
    if args.eval:
        ex, rows = batches(args.eval)
        data = load_npz(args.eval)
        labels = data["y"] if "y" in data.files else None
        original = api.compile(model, threads=compressed.threads,
                               input_shapes=shapes, fuse=False)
        bar = progress_bar(len(ex) // rows, "evaluating")
        result = api.evaluate(original, compressed,
                              ex[:len(ex) - len(ex) % rows]
                              .astype(np.float32), labels)
        bar.close()
        with open(os.path.join(args.output, "evaluation.json"), "w") as f:
            json.dump(result, f, indent=2)
        summary["evaluation"] = result
    if args.sensitivity:
        sx, rows = batches(args.sensitivity)
        data = load_npz(args.sensitivity)
        labels = data["y"] if "y" in data.files else None
        total = [None]

        def progress(done, count):
            if total[0] is None:
                total[0] = progress_bar(count, "sensitivity")
            total[0].update()
        result = layers.sensitivity(
            model, sx[:len(sx) - len(sx) % rows].astype(np.float32), labels,
            input_shapes=shapes, threads=args.threads,
            fuse=not args.no_fuse, progress=progress)
        if total[0] is not None:
            total[0].close()
        layers.write_sensitivity(result, args.output)
        print(layers.sensitivity_table(result))
    print_summary(summary)
    return 0


def _number(value):
    if value is None:
        return None
    try:
        return float(value)
    except ValueError:
        return value


def print_summary(summary):
    o, c = summary["original"], summary["compressed"]
    print("steps: %s" % ("; ".join("%s %s" % (s["technique"], s["options"])
                                   for s in summary["steps"]) or "none"))
    print("%-22s %14s %14s %8s" % ("", "original", "compressed", "ratio"))
    for key in ("params", "bytes", "flops"):
        ratio = c[key] / o[key] if o[key] else 0
        print("%-22s %14d %14d %8.3f" % ("weight " + key if key != "flops"
                                         else "multiply-adds", o[key],
                                         c[key], ratio))
    ev = summary.get("evaluation")
    if ev:
        print("%-22s %14.3f %14.3f %8.2fx" % ("latency (ms, median)",
                                              ev["latency_ms_original"],
                                              ev["latency_ms_compressed"],
                                              ev["speedup"]))
        if "accuracy_original" in ev:
            print("%-22s %14.4f %14.4f %+8.2f points" % (
                "accuracy", ev["accuracy_original"],
                ev["accuracy_compressed"], -ev["accuracy_drop_points"]))
        print("%-22s %29.5f" % ("output cosine", ev["cosine"]))


if __name__ == "__main__":
    sys.exit(main())
