"""Layers under compression: the per-layer sensitivity across techniques: for every compressible layer
and every candidate setting (int8, int4, log2, a sparsity, n:m, a rank),
the model with that layer alone compressed is compiled and run on the
given data, and compared with the original: output error, with labels the
accuracy change, the layer's bytes, and the model's measured latency.

    result = compress.sensitivity("model.onnx", x, y, input_shapes=...)
    compress.write_sensitivity(result, "out/")   # JSON, table, plot

A layer is named by its ONNX node (the location the importer gives its
ops) and by its key in the IR (`<function>/<ordinal>`, the passes' `ops=`
option restricts each candidate to it).
"""

import json
import os

import numpy as np

from . import api, runtime, tools
from .importer import import_onnx

# (name, technique, compress-opt options); "rank 1/2" is SVD for matmuls,
# Tucker-2 for convolutions.
CANDIDATES = [
    ("int8", "quantize", {"bits": "8"}),
    ("int4", "quantize", {"bits": "4", "granularity": "per-group",
                          "group-size": "16"}),
    ("log2", "quantize", {"bits": "8", "scheme": "log2"}),
    ("50% sparse", "prune", {"sparsity": "0.5"}),
    ("2:4", "prune", {"structure": "n:m", "n": "2", "m": "4"}),
    ("rank 1/2", "decompose", {"rank-ratio": "0.5", "only-faster": "false"}),
]
FLAGS = {"quantize": "--compress-quantize", "prune": "--compress-prune",
         "decompose": "--compress-cp-decompose"}


class SensitivityError(Exception):
    pass


def _run(text, function, batches, threads, repeat):
    module = runtime.Module(text, "threads=%d" % threads)
    outs = [module.call(function, list(b))[0] for b in batches]
    latency = module.time(function, list(batches[0]), repeat)[0]
    return np.concatenate([o.reshape(len(o), -1) for o in outs]), latency


def sensitivity(model, data, labels=None, candidates=None,
                input_shapes=None, threads=None, repeat=10, fuse=True,
                progress=None):
    """The sensitivity of every compressible layer of `model` (ONNX) to
    every candidate (default CANDIDATES: (name, technique, options)) on
    `data` (inputs, first dimension the samples, split in batches of the
    model's batch size). Returns a dict (see write_sensitivity())."""
    candidates = CANDIDATES if candidates is None else candidates
    threads = threads or max(1, min(os.cpu_count() or 1, 2))
    imported = import_onnx(model, input_shapes=input_shapes)
    if len(imported.inputs) != 1:
        raise SensitivityError("sensitivity takes models with one input")
    rows = imported.inputs[0][1][0]
    if not isinstance(rows, int):
        rows = api.DYNAMIC_BATCH
    data = np.asarray(data, np.float32)
    count = len(data) // rows
    if count == 0:
        raise SensitivityError("data has %d samples, fewer than one batch "
                               "of %d" % (len(data), rows))
    batches = [[data[i * rows:(i + 1) * rows]] for i in range(count)]
    text = imported.text
    if fuse:
        text, _ = tools.compress_opt(text, ["--compress-fold-batchnorm"])
    base_report = tools.report(text)
    base_bytes = sum(op["bytes"] for op in base_report["ops"])
    reference, base_ms = _run(text, imported.function, batches, threads,
                              repeat)
    if labels is not None:
        labels = np.asarray(labels)[:count * rows]
        base_acc = float(np.mean(reference.argmax(1) == labels))
    layers = []
    ops = [op for op in base_report["ops"] if op.get("key")]
    total = len(ops) * len(candidates)
    done = 0
    for op in ops:
        entry = {"key": op["key"], "name": op.get("loc", ""),
                 "op": op["op"], "kind": op["kind"],
                 "weight_shape": op["weight_shape"], "bytes": op["bytes"],
                 "flops": op["flops"], "candidates": []}
        for name, technique, options in candidates:
            opts = dict(options, ops=op["key"])
            if technique == "decompose" and "method" not in opts:
                opts["method"] = "tucker2" if op["kind"] == "convolution" \
                    else "svd"
            spelled = " ".join("%s=%s" % kv for kv in opts.items())
            row = {"candidate": name, "technique": technique,
                   "options": spelled}
            try:
                changed, _ = tools.compress_opt(
                    text, ["%s=%s" % (FLAGS[technique], spelled)])
                after = tools.report(changed)
                if changed == text:
                    raise tools.ToolError("the layer was left unchanged")
                y, ms = _run(changed, imported.function, batches, threads,
                             repeat)
                err = float(np.linalg.norm(y - reference) /
                            max(np.linalg.norm(reference), 1e-30))
                row.update(status="ok", output_error=err,
                           bytes=op["bytes"] + sum(
                               o["bytes"] for o in after["ops"]) -
                           base_bytes,
                           latency_ms=ms, latency_delta_ms=ms - base_ms)
                skipped = [o for o in after["ops"] if o.get("key") ==
                           op["key"] and o.get("decomposition", {}).get(
                               "skipped")]
                if skipped:
                    row["note"] = skipped[0]["decomposition"]["skipped"]
                if labels is not None:
                    acc = float(np.mean(y.argmax(1) == labels))
                    row["accuracy_change_points"] = 100 * (acc - base_acc)
            except (tools.ToolError, runtime.RuntimeError_) as e:
                row.update(status="failed", reason=str(e).strip()
                           .splitlines()[-1][:300])
            entry["candidates"].append(row)
            done += 1
            if progress:
                progress(done, total)
        layers.append(entry)
    result = {"baseline": {"latency_ms": base_ms, "bytes": base_bytes,
                           "samples": count * rows},
              "candidates": [c[0] for c in candidates], "layers": layers}
    if labels is not None:
        result["baseline"]["accuracy"] = base_acc
    return result


def sensitivity_table(result):
    """A readable table: a row per layer, per candidate the output error
    (and accuracy change in points with labels)."""
    names = result["candidates"]
    head = "%-10s %-28s %9s" % ("key", "layer", "bytes") + "".join(
        " %16s" % n for n in names)
    lines = [head, "-" * len(head)]
    for layer in result["layers"]:
        cells = []
        for row in layer["candidates"]:
            if row["status"] != "ok":
                cells.append(" %16s" % "-")
                continue
            cell = "%.2e" % row["output_error"]
            if "accuracy_change_points" in row:
                cell += " %+.1f" % row["accuracy_change_points"]
            cells.append(" %16s" % cell)
        lines.append("%-10s %-28s %9d" % (layer["key"], layer["name"][-28:],
                                          layer["bytes"]) + "".join(cells))
    b = result["baseline"]
    lines.append("")
    lines.append("output error: ||y - y0|| / ||y0|| over %d samples%s; "
                 "baseline %.3f ms, %d weight bytes" % (
                     b["samples"], ", then the accuracy change in points"
                     if "accuracy" in b else "", b["latency_ms"], b["bytes"]))
    return "\n".join(lines)


def plot(result, path):
    """A heatmap of log10(output error), layers x candidates, and each
    candidate's bytes relative to the layer's."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    layers = result["layers"]
    names = result["candidates"]
    err = np.full((len(layers), len(names)), np.nan)
    size = np.full((len(layers), len(names)), np.nan)
    for i, layer in enumerate(layers):
        for j, row in enumerate(layer["candidates"]):
            if row["status"] == "ok":
                err[i, j] = np.log10(max(row["output_error"], 1e-9))
                size[i, j] = row["bytes"] / max(layer["bytes"], 1)
    height = max(3, 0.35 * len(layers) + 1.5)
    fig, axes = plt.subplots(1, 2, figsize=(13, height))
    labels = ["%s %s" % (l["key"], l["name"][-24:]) for l in layers]
    for ax, values, title, cmap in (
            (axes[0], err, "log10 output error (layer alone compressed)",
             "viridis"),
            (axes[1], size, "layer bytes after / before", "magma")):
        im = ax.imshow(values, aspect="auto", cmap=cmap)
        ax.set_xticks(range(len(names)))
        ax.set_xticklabels(names, rotation=30, ha="right")
        ax.set_yticks(range(len(layers)))
        ax.set_yticklabels(labels, fontsize=7)
        ax.set_title(title, fontsize=9)
        fig.colorbar(im, ax=ax)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def write_sensitivity(result, directory):
    """Writes sensitivity.json, sensitivity.txt and sensitivity.png."""
    os.makedirs(directory, exist_ok=True)
    with open(os.path.join(directory, "sensitivity.json"), "w") as f:
        json.dump(result, f, indent=2)
    with open(os.path.join(directory, "sensitivity.txt"), "w") as f:
        f.write(sensitivity_table(result) + "\n")
    plot(result, os.path.join(directory, "sensitivity.png"))
    return directory
