#!/usr/bin/python3
"""Benchmark: pruned layers and models against dense ones and peers.

Usage:
    benchmarks/prune.py [--bin build/bin] [--threads 1,2] [--processes P]
                        [--only unstructured,block,n:m,int8,batch,conv,
                                conv-int8,resnet18]
                        [--ort DIR] [--match TEXT]
                        [--markdown OUT.md]

unstructured, block, n:m: for each layer shape, prunes a random N(0, 1)
weight to each sparsity or pattern (by magnitude: compress-opt
--compress-prune; single weights, 1x16 blocks of one input channel by 16
output channels, or n of every m input channels) and times, side by side
in one run:

  ours dense    the unpruned layer (our dense kernel)
  ours          the pruned layer as compress-to-llvm compiles it: sparse
                (compress-sparsify) where the measured crossover says it
                pays, else dense
  ours sparse   the pruned layer forced sparse (min-sparsity=0), to show
                where the sparse kernel stops paying
  torch CSR     torch.sparse.mm on the pruned weight in CSR (PyTorch 1.13)
  ORT dense     ONNX Runtime MatMul on the pruned weight (with --ort)

Shapes (batch x input x output): unstructured 1x4096x4096 (memory-bound)
and 64x1024x1024; blocks also 1x1024x1024; n:m (2:4 and 1:4) 1x4096x4096,
1x1024x1024 and 8x1024x1024 (the n:m kernel), 64x1024x1024, 64x4096x1024
and 16x1024x1024 (the column kernel). "ours sparse" forces the column
kernel (min-sparsity=0).

int8: the same layers pruned (2:4, 90%, 95%) and then quantized to
weight-only int8 (symmetric, per column), against our dense int8 and fp32
kernels: a sparse int8 weight keeps 1-byte codes on the sparse kernel.

batch: linalg.batch_matmul with a constant B x K x N weight (8 x
64x256x256, 16 x 1x512x512, 4 x 16x1024x1024) pruned unstructured to 50%
to 90%: one compress.sparse_matmul on the block-diagonal weight of the
batches against our dense kernel and torch.bmm (dense).

conv: ResNet-18's 3x3 convolutions (64, 128, 256, 512 channels at 56x56,
28x28, 14x14, 7x7 outputs), a 3x3 stride-2 one, the 7x7 stride-2 stem, a
depthwise 3x3 and a 3x3 with dilation 2 (256 channels at 28x28) (NCHW,
batch 1, padded input) pruned unstructured to
70%, 80%, 90% (ours: as compiled; ours sparse: forced on
compress.sparse_conv), against our dense kernel and, dense (neither has a
sparse CPU convolution), ONNX Runtime's Conv and torch's conv2d.

conv-int8: four of those convolutions pruned to 70%, 80%, 90% and then
quantized to weight-only int8 (compress-quantize bits=8) against our dense
int8 and fp32 convolutions: the sparse convolution keeps the 1-byte codes.

resnet18: ResNet-18 (batch 1, 224x224, random weights, batch norm folded)
dense; with 25% and 50% of the filters of every coupled group of
convolutions removed (--compress-prune=structure=channel: the tensors
shrink); and with 80% and 90% of every convolution's weights pruned
unstructured (stride-1 convolutions run sparse); against ONNX Runtime on
the dense model (with --ort).

compress-run --repeat times ours (median of enough calls for 0.3 s,
pinned with taskset; the lowest median of P processes), the same for the
peers. Prints a table of median ms and speed-up against ours dense.
"""

import argparse
import os
import re
import subprocess
import sys
import tempfile

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import quantize  # noqa: E402  (shared helpers: models, ORT, pinning)

ROOT = quantize.ROOT
SHAPES = [("1x4096x4096", 1, 4096, 4096), ("64x1024x1024", 64, 1024, 1024)]
SPARSITIES = [0.5, 0.7, 0.8, 0.9, 0.95]
BLOCK_SHAPES = [("1x1024x1024", 1, 1024, 1024),
                ("1x4096x4096", 1, 4096, 4096),
                ("64x1024x1024", 64, 1024, 1024)]
BLOCK_SPARSITIES = [0.5, 0.7, 0.9]
NM_SHAPES = [("1x4096x4096", 1, 4096, 4096), ("1x1024x1024", 1, 1024, 1024),
             ("8x1024x1024", 8, 1024, 1024),
             ("64x1024x1024", 64, 1024, 1024),
             ("64x4096x1024", 64, 4096, 1024),
             ("16x1024x1024", 16, 1024, 1024)]
NM_PATTERNS = [(2, 4), (1, 4)]
INT8_SHAPES = [("64x1024x1024", 64, 1024, 1024),
               ("1x4096x4096", 1, 4096, 4096)]
INT8_VARIANTS = [("int8 dense", None),
                 ("2:4, int8", "structure=n:m n=2 m=4"),
                 ("90%, int8", "sparsity=0.9"),
                 ("95%, int8", "sparsity=0.95")]
CHANNEL_SPARSITIES = [0.25, 0.5]
UNSTRUCTURED_RESNET = [0.8, 0.9]
# (label, channels in, filters, output size, kernel, stride, depthwise,
#  dilation)
CONV_CASES = [("3x3 64->64 56x56", 64, 64, 56, 3, 1, False, 1),
              ("3x3 128->128 28x28", 128, 128, 28, 3, 1, False, 1),
              ("3x3 256->256 14x14", 256, 256, 14, 3, 1, False, 1),
              ("3x3 512->512 7x7", 512, 512, 7, 3, 1, False, 1),
              ("3x3 stride 2 64->128 28x28", 64, 128, 28, 3, 2, False, 1),
              ("7x7 stride 2 3->64 112x112 (stem)", 3, 64, 112, 7, 2, False,
               1),
              ("depthwise 3x3 256 28x28", 256, 256, 28, 3, 1, True, 1),
              ("3x3 dilation 2 256->256 28x28", 256, 256, 28, 3, 1, False,
               2)]
CONV_SPARSITIES = [0.7, 0.8, 0.9]
# The convolutions of conv-int8 (labels of CONV_CASES).
CONV_INT8_CASES = ["3x3 64->64 56x56", "3x3 256->256 14x14",
                   "3x3 stride 2 64->128 28x28", "depthwise 3x3 256 28x28"]
# batch_matmul with a constant weight: (label, B, M, K, N)
BATCH_SHAPES = [("8 x 64x256x256", 8, 64, 256, 256),
                ("16 x 1x512x512", 16, 1, 512, 512),
                ("4 x 16x1024x1024", 4, 16, 1024, 1024)]
BATCH_SPARSITIES = [0.5, 0.7, 0.8, 0.9]


def ours(runner, model, x_path, threads, min_time):
    out = subprocess.run(
        quantize.pin(threads) + [runner, model, "-e", "predict", "--input",
                                 x_path, "--output", os.devnull, "--repeat",
                                 "5", "--compress-to-llvm-options=threads=%d"
                                 % threads],
        capture_output=True, text=True, check=True).stdout
    first = float(re.search(r"median ([0-9.]+) ms", out).group(1))
    calls = max(11, int(min_time * 1e3 / max(first, 1e-3)))
    out = subprocess.run(
        quantize.pin(threads) + [runner, model, "-e", "predict", "--input",
                                 x_path, "--output", os.devnull, "--repeat",
                                 str(calls),
                                 "--compress-to-llvm-options=threads=%d"
                                 % threads],
        capture_output=True, text=True, check=True).stdout
    return float(re.search(r"median ([0-9.]+) ms", out).group(1))


TORCH_TIMER = r"""
import sys, time, numpy as np, torch
torch.set_num_threads(int(sys.argv[1]))
a = [torch.from_numpy(np.load(p)) for p in sys.argv[3:]]
%s
def f():
    return %s
with torch.no_grad():
    f()
    t = []
    end = time.perf_counter() + float(sys.argv[2])
    while time.perf_counter() < end or len(t) < 11:
        s = time.perf_counter(); f(); t.append(time.perf_counter() - s)
print(np.median(t) * 1e3)
"""


def best_times(args, runner, models, x_path, threads, peers=None):
    """The lowest median ms over args.processes rounds of every model of
    `models` (key: path) on x_path, and of every peer of `peers` (key: a
    function returning ms or None)."""
    best = {}
    for _ in range(args.processes):
        for key, path in models.items():
            value = ours(runner, path, x_path, threads, args.min_time)
            best[key] = min(best.get(key, value), value)
        for key, time_peer in (peers or {}).items():
            value = time_peer()
            if value is not None:
                best[key] = min(best.get(key, value), value)
    return best


def torch_time(setup, call, arrays, threads, min_time):
    """Median ms of the PyTorch expression `call` on `arrays` (as a[0],
    a[1], ... after the statement `setup`), in a pinned process of its
    own; None when PyTorch fails or is missing."""
    with tempfile.TemporaryDirectory() as tmp:
        paths = []
        for i, array in enumerate(arrays):
            paths.append(os.path.join(tmp, "%d.npy" % i))
            np.save(paths[-1], array)
        out = subprocess.run(
            quantize.pin(threads) + ["/usr/bin/python3", "-c",
                                     TORCH_TIMER % (setup, call),
                                     str(threads), str(min_time)] + paths,
            capture_output=True, text=True)
    if out.returncode != 0:
        return None
    return float(out.stdout.strip().splitlines()[-1])


def torch_csr(w, x, threads, min_time):
    """Median ms of torch.sparse.mm(W^T in CSR, x^T)."""
    return torch_time("wt = a[0].t().contiguous().to_sparse_csr(); "
                      "xt = a[1].t().contiguous()",
                      "torch.sparse.mm(wt, xt)", [w, x], threads, min_time)

def dense_layer(tmp, rng, m, k, n):
    """A random K x N weight (N(0, 1) / 32), an M x K input saved as x.npy,
    and the dense layer's model: (weight, input, input path, model path)."""
    w = rng.standard_normal((k, n)).astype(np.float32) / 32
    x = rng.standard_normal((m, k)).astype(np.float32)
    x_path = os.path.join(tmp, "x.npy")
    np.save(x_path, x)
    dense_path = os.path.join(tmp, "dense.mlir")
    with open(dense_path, "w") as f:
        f.write(quantize.matmul_model(w, m))
    return w, x, x_path, dense_path


def prune_numpy(w, structure, s):
    """The weight compress-prune keeps (by magnitude), for the peers."""
    pruned = w.copy()
    if structure == "n:m":
        # s = (n, m): the n largest of every m consecutive input channels.
        n, m = s
        groups = np.abs(w).reshape(w.shape[0] // m, m, w.shape[1])
        order = np.argsort(groups, axis=1, kind="stable")
        drop = np.zeros(groups.shape, bool)
        np.put_along_axis(drop, order[:, :m - n, :], True, axis=1)
        pruned.reshape(groups.shape)[drop] = 0
    elif structure == "block":
        # 1x16 blocks: one input channel (row of W) x 16 output channels.
        blocks = np.abs(w).reshape(w.shape[0], -1, 16).sum(axis=2)
        cut = np.sort(blocks.ravel())[int(round(s * blocks.size)) - 1]
        pruned.reshape(w.shape[0], -1, 16)[blocks <= cut] = 0
    else:
        cut = np.sort(np.abs(w).ravel())[int(round(s * w.size)) - 1]
        pruned[np.abs(w) <= cut] = 0
    return pruned


def layer_section(args, opt, runner, tmp, rng, structure, shapes,
                  sparsities, lines):
    """Tables of one structure over `shapes` and `sparsities`."""
    def prune_options(s):
        if structure == "n:m":
            return "structure=n:m n=%d m=%d" % s
        extra = " structure=block block=1x16" if structure == "block" else ""
        return "sparsity=%g%s" % (s, extra)

    def spell(s):
        return "%d:%d" % s if structure == "n:m" else "%g" % s
    for label, m, k, n in shapes:
        w, x, x_path, dense_path = dense_layer(tmp, rng, m, k, n)
        variants = {}  # sparsity -> (auto model, forced model, weight)
        for s in sparsities:
            auto = os.path.join(tmp, "auto%s.mlir" % spell(s).replace(":", "_"))
            forced = os.path.join(tmp, "forced%s.mlir"
                                  % spell(s).replace(":", "_"))
            quantize.run([opt, dense_path, "--compress-prune=" +
                          prune_options(s), "-o", auto])
            force = ("min-block-sparsity=0" if structure == "block"
                     else "min-sparsity=0")
            quantize.run([opt, auto, "--compress-sparsify=" + force, "-o",
                          forced])
            variants[s] = (auto, forced, prune_numpy(w, structure, s))
        for threads in args.threads_list:
            best = {}

            def keep(key, value):
                if value is not None and (key not in best or
                                          value < best[key]):
                    best[key] = value
            for _ in range(args.processes):
                keep("dense", ours(runner, dense_path, x_path, threads,
                                   args.min_time))
                for s, (auto, forced, pruned) in variants.items():
                    keep(("ours", s), ours(runner, auto, x_path, threads,
                                           args.min_time))
                    keep(("sparse", s), ours(runner, forced, x_path,
                                             threads, args.min_time))
                    keep(("torch", s), torch_csr(pruned, x, threads,
                                                 args.min_time))
                    if args.ort:
                        onnx_path = os.path.join(tmp, "m.onnx")
                        quantize.onnx_matmul(onnx_path, pruned, m)
                        keep(("ort", s), quantize.ort_time(
                            args.ort, onnx_path, x_path, threads, 50))
            dense = best["dense"]
            lines.append("")
            lines.append("%s %s, %d thread(s): median ms (speed-up against "
                         "ours dense, %.3g ms)" % (structure, label, threads,
                                                   dense))
            lines.append("")
            header = ["n:m" if structure == "n:m" else "sparsity", "ours",
                      "ours sparse", "torch CSR"]
            if args.ort:
                header.append("ORT dense")
            lines.append("| " + " | ".join(header) + " |")
            lines.append("|" + "---|" + "---:|" * (len(header) - 1))
            for s in sparsities:
                cells = [spell(s)]
                for key in ("ours", "sparse", "torch", "ort"):
                    if key == "ort" and not args.ort:
                        continue
                    value = best.get((key, s))
                    cells.append("%.3g (%.2fx)" % (value, dense / value)
                                 if value else "")
                lines.append("| " + " | ".join(cells) + " |")
            print("\n".join(lines[-(len(sparsities) + 5):]), flush=True)


def onnx_conv(path, w, x_shape, y_shape, stride, groups, dilation=1):
    """An ONNX model of a Conv (no padding) by the FCHW `w`."""
    import onnx
    from onnx import TensorProto, helper, numpy_helper
    graph = helper.make_graph(
        [helper.make_node("Conv", ["x", "w"], ["y"],
                          strides=[stride, stride], group=groups,
                          dilations=[dilation, dilation])], "g",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT,
                                       list(x_shape))],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT,
                                       list(y_shape))],
        [numpy_helper.from_array(w, "w")])
    model = helper.make_model(graph,
                              opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    onnx.save(model, path)


def torch_conv(w, x, threads, min_time, stride=1, groups=1, dilation=1):
    """Median ms of torch's dense conv2d (the padded input)."""
    return torch_time("", "torch.nn.functional.conv2d(a[1], a[0], stride=%d, "
                      "groups=%d, dilation=%d)" % (stride, groups, dilation),
                      [w, x], threads, min_time)

def conv_case(tmp, rng, case):
    """The dense model of a CONV_CASES entry, its weight, input and input
    path: (w, x, x_path, dense_path)."""
    label, c, f_out, hw, k, stride, depthwise, dilation = case
    w_shape = (c, 1, k, k) if depthwise else (f_out, c, k, k)
    w = (rng.standard_normal(w_shape) / 24).astype(np.float32)
    # "same" padding, as ResNet pads.
    side = hw * stride + dilation * (k - 1)
    x_shape = (1, c, side, side)
    y_shape = (1, f_out, hw, hw)
    x = rng.standard_normal(x_shape).astype(np.float32)
    x_path = os.path.join(tmp, "x.npy")
    np.save(x_path, x)
    dense_path = os.path.join(tmp, "dense.mlir")
    spell = lambda shape: "x".join(map(str, shape))  # noqa: E731
    text = quantize.conv_like_model(
        "depthwise_conv_2d_nchw_chw" if depthwise else
        "conv_2d_nchw_fchw", spell(x_shape),
        spell(w_shape[:1] + w_shape[2:] if depthwise else w_shape),
        spell(y_shape), w.reshape(-1))
    with open(dense_path, "w") as f:
        f.write(text.replace("strides = dense<1>",
                             "strides = dense<%d>" % stride)
                .replace("dilations = dense<1>",
                         "dilations = dense<%d>" % dilation))
    return w, x, x_path, dense_path


def sparsity_table(lines, title, best, dense, sparsities, spell="%g"):
    """Appends (and prints) a table of "ours" and "ours sparse" per
    sparsity, each with its speed-up against `dense`, under `title`."""
    lines.append("")
    lines.append(title)
    lines.append("")
    lines.append("| sparsity | ours | ours sparse |")
    lines.append("|---|---:|---:|")
    for s in sparsities:
        cells = [spell % s]
        for key in ("ours", "sparse"):
            value = best[(key, s)]
            cells.append("%.3g (%.2fx)" % (value, dense / value))
        lines.append("| " + " | ".join(cells) + " |")
    print("\n".join(lines[-(len(sparsities) + 5):]), flush=True)


def conv_section(args, opt, runner, tmp, rng, lines):
    """ResNet-18's convolutions (and a depthwise and a dilated one) pruned
    unstructured: compress.sparse_conv against our dense kernel and the
    peers' dense convolutions."""
    for case in CONV_CASES:
        label, c, f_out, hw, k, stride, depthwise, dilation = case
        if args.match and args.match not in label:
            continue
        w, x, x_path, dense_path = conv_case(tmp, rng, case)
        onnx_path = os.path.join(tmp, "conv.onnx")
        groups = c if depthwise else 1
        if args.ort:
            onnx_conv(onnx_path, w, x.shape, (1, f_out, hw, hw), stride,
                      groups, dilation)
        variants = {}
        for s in CONV_SPARSITIES:
            auto = os.path.join(tmp, "auto%g.mlir" % s)
            forced = os.path.join(tmp, "forced%g.mlir" % s)
            quantize.run([opt, dense_path, "--compress-prune=sparsity=%g" % s,
                          "-o", auto])
            quantize.run([opt, auto, "--compress-sparsify=min-sparsity=0",
                          "-o", forced])
            variants[s] = (auto, forced)
        for threads in args.threads_list:
            best = {}

            def keep(key, value):
                if value is not None and (key not in best or
                                          value < best[key]):
                    best[key] = value
            for _ in range(args.processes):
                keep("dense", ours(runner, dense_path, x_path, threads,
                                   args.min_time))
                keep("torch", torch_conv(w, x, threads, args.min_time,
                                         stride, groups, dilation))
                if args.ort:
                    keep("ort", quantize.ort_time(args.ort, onnx_path, x_path,
                                                  threads, 50))
                for s, (auto, forced) in variants.items():
                    keep(("ours", s), ours(runner, auto, x_path, threads,
                                           args.min_time))
                    keep(("sparse", s), ours(runner, forced, x_path, threads,
                                             args.min_time))
            dense = best["dense"]
            peers = ", torch conv2d %.3g ms" % best["torch"] \
                if "torch" in best else ""
            if "ort" in best:
                peers += ", ORT Conv %.3g ms" % best["ort"]
            sparsity_table(lines, "conv %s, %d thread(s): median ms "
                           "(speed-up against ours dense, %.3g ms; dense "
                           "peers%s)" % (label, threads, dense, peers), best,
                           dense, CONV_SPARSITIES)


def conv_int8_section(args, opt, runner, tmp, rng, lines):
    """Convolutions pruned unstructured and then quantized to weight-only
    int8: compress.sparse_conv on the codes against our dense int8 and fp32
    convolutions."""
    for case in CONV_CASES:
        if case[0] not in CONV_INT8_CASES or (args.match and
                                              args.match not in case[0]):
            continue
        _, _, x_path, dense_path = conv_case(tmp, rng, case)
        int8_dense = os.path.join(tmp, "int8_dense.mlir")
        quantize.run([opt, dense_path, "--compress-quantize=bits=8", "-o",
                      int8_dense])
        models = {"fp32 dense": dense_path, "int8 dense": int8_dense}
        for s in CONV_SPARSITIES:
            auto = os.path.join(tmp, "int8_auto%g.mlir" % s)
            forced = os.path.join(tmp, "int8_forced%g.mlir" % s)
            quantize.run([opt, dense_path, "--compress-prune=sparsity=%g" % s,
                          "--compress-quantize=bits=8", "-o", auto])
            quantize.run([opt, auto, "--compress-sparsify=min-sparsity=0",
                          "-o", forced])
            models[("ours", s)] = auto
            models[("sparse", s)] = forced
        for threads in args.threads_list:
            best = best_times(args, runner, models, x_path, threads)
            dense = best["int8 dense"]
            sparsity_table(lines, "conv int8 %s, %d thread(s): median ms "
                           "(speed-up against our int8 dense, %.3g ms; fp32 "
                           "dense %.3g ms)" % (case[0], threads, dense,
                                               best["fp32 dense"]), best,
                           dense, CONV_SPARSITIES, "%g, int8")


def batch_model(w, m):
    """linalg.batch_matmul of a B x M x K input by the constant B x K x N
    `w` into a zero fill."""
    b, k, n = w.shape
    return quantize.with_blob("""func.func @predict(%%x: tensor<%(b)dx%(m)dx%(k)dxf32>) -> tensor<%(b)dx%(m)dx%(n)dxf32> {
  %%w = arith.constant dense_resource<w> : tensor<%(b)dx%(k)dx%(n)dxf32>
  %%e = tensor.empty() : tensor<%(b)dx%(m)dx%(n)dxf32>
  %%z = arith.constant 0.0 : f32
  %%i = linalg.fill ins(%%z : f32) outs(%%e : tensor<%(b)dx%(m)dx%(n)dxf32>) -> tensor<%(b)dx%(m)dx%(n)dxf32>
  %%y = linalg.batch_matmul ins(%%x, %%w : tensor<%(b)dx%(m)dx%(k)dxf32>, tensor<%(b)dx%(k)dx%(n)dxf32>) outs(%%i : tensor<%(b)dx%(m)dx%(n)dxf32>) -> tensor<%(b)dx%(m)dx%(n)dxf32>
  return %%y : tensor<%(b)dx%(m)dx%(n)dxf32>
}
""" % dict(b=b, m=m, k=k, n=n), w)


def torch_bmm(w, x, threads, min_time):
    """Median ms of torch.bmm (dense) on the pruned weight."""
    return torch_time("", "torch.bmm(a[1], a[0])", [w, x], threads, min_time)

def batch_section(args, opt, runner, tmp, rng, lines):
    """batch_matmul with a constant weight pruned unstructured: one
    sparse_matmul on the block-diagonal weight against our dense kernel
    and torch.bmm."""
    for label, b, m, k, n in BATCH_SHAPES:
        if args.match and args.match not in label:
            continue
        w = (rng.standard_normal((b, k, n)) / 32).astype(np.float32)
        x = rng.standard_normal((b, m, k)).astype(np.float32)
        x_path = os.path.join(tmp, "x.npy")
        np.save(x_path, x)
        dense_path = os.path.join(tmp, "batch_dense.mlir")
        with open(dense_path, "w") as f:
            f.write(batch_model(w, m))
        models = {"dense": dense_path}
        for s in BATCH_SPARSITIES:
            auto = os.path.join(tmp, "batch_auto%g.mlir" % s)
            forced = os.path.join(tmp, "batch_forced%g.mlir" % s)
            quantize.run([opt, dense_path, "--compress-prune=sparsity=%g" % s,
                          "-o", auto])
            quantize.run([opt, auto, "--compress-sparsify=min-sparsity=0",
                          "-o", forced])
            models[("ours", s)] = auto
            models[("sparse", s)] = forced
        for threads in args.threads_list:
            best = best_times(
                args, runner, models, x_path, threads,
                {"torch": lambda: torch_bmm(w, x, threads, args.min_time)})
            dense = best["dense"]
            peers = ", torch.bmm dense %.3g ms" % best["torch"] \
                if "torch" in best else ""
            sparsity_table(lines, "batch_matmul %s, %d thread(s): median "
                           "ms (speed-up against ours dense, %.3g ms%s)"
                           % (label, threads, dense, peers), best, dense,
                           BATCH_SPARSITIES)


def int8_section(args, opt, runner, tmp, rng, lines):
    """Weight-only int8 after pruning (compress-prune, then compress-quantize
    bits=8): the codes of a sparse weight stay int8 on the sparse kernel."""
    for label, m, k, n in INT8_SHAPES:
        _, _, x_path, dense_path = dense_layer(tmp, rng, m, k, n)
        models = {"fp32 dense": dense_path}
        for name, prune_options in INT8_VARIANTS:
            path = os.path.join(tmp, "int8_%d.mlir" % len(models))
            cmd = [opt, dense_path]
            if prune_options:
                cmd.append("--compress-prune=" + prune_options)
            quantize.run(cmd + ["--compress-quantize=bits=8", "-o", path])
            models[name] = path
        for threads in args.threads_list:
            best = best_times(args, runner, models, x_path, threads)
            lines.append("")
            lines.append("int8 %s, %d thread(s): median ms (speed-up against "
                         "our int8 dense, %.3g ms; fp32 dense %.3g ms)"
                         % (label, threads, best["int8 dense"],
                            best["fp32 dense"]))
            lines.append("")
            lines.append("| weight | ours | vs int8 dense | vs fp32 dense |")
            lines.append("|---|---:|---:|---:|")
            for name in models:
                lines.append("| %s | %.3g | %.2fx | %.2fx |" % (
                    name, best[name], best["int8 dense"] / best[name],
                    best["fp32 dense"] / best[name]))
            print("\n".join(lines[-(len(models) + 5):]), flush=True)


def resnet_model(args, opt, tmp):
    """ResNet-18 (batch 1, 224x224, random weights) written into tmp (and
    its ONNX model with --ort), batch norm folded: (directory, input path,
    folded model path)."""
    net = os.path.join(tmp, "resnet18")
    gen = [sys.executable, os.path.join(ROOT, "examples", "resnet18",
                                        "resnet18.py"), net]
    if not args.ort:
        gen.append("--no-onnx")
    quantize.run(gen)
    dense = os.path.join(tmp, "resnet18.folded.mlir")
    quantize.run([opt, os.path.join(net, "model.mlir"),
                  "--compress-fold-batchnorm", "-o", dense])
    return net, os.path.join(net, "x.npy"), dense


def resnet_times(args, runner, models, net, x_path, threads):
    """The lowest median ms over args.processes rounds of each of `models`
    (key: path) and, with --ort, of ONNX Runtime on the dense network
    (key "ort")."""
    best = {}
    for _ in range(args.processes):
        for key, path in models.items():
            value = ours(runner, path, x_path, threads, args.min_time)
            best[key] = min(best.get(key, value), value)
        if args.ort:
            value = quantize.ort_time(args.ort,
                                      os.path.join(net, "model.onnx"),
                                      x_path, threads, 50)
            best["ort"] = min(best.get("ort", value), value)
    return best


def resnet_section(args, opt, runner, tmp, lines):
    """ResNet-18 (batch 1, 224x224, batch norm folded) dense and with a
    fraction of every group's conv filters removed (structure=channel)."""
    net, x_path, dense = resnet_model(args, opt, tmp)
    models = {"dense": dense}
    for s in CHANNEL_SPARSITIES:
        key = "%g%% of the filters" % (100 * s)
        models[key] = os.path.join(tmp, "resnet18.channels%g.mlir" % s)
        quantize.run([opt, dense, "--compress-prune=structure=channel "
                      "sparsity=%g" % s, "-o", models[key]])
    for s in UNSTRUCTURED_RESNET:
        key = "%g%% of the weights" % (100 * s)
        models[key] = os.path.join(tmp, "resnet18.unstructured%g.mlir" % s)
        quantize.run([opt, dense, "--compress-prune=sparsity=%g" % s, "-o",
                      models[key]])
    for threads in args.threads_list:
        best = resnet_times(args, runner, models, net, x_path, threads)
        lines.append("")
        lines.append("ResNet-18 pruned, %d thread(s): median ms "
                     "(speed-up against ours dense)" % threads)
        lines.append("")
        lines.append("| pruned | ours | ORT (dense fp32) |")
        lines.append("|---|---:|---:|")
        for s in models:
            ort = ""
            if s == "dense" and "ort" in best:
                ort = "%.3g (%.2fx)" % (best["ort"],
                                        best["dense"] / best["ort"])
            lines.append("| %s | %.3g (%.2fx) | %s |" % (
                s, best[s], best["dense"] / best[s], ort))
        print("\n".join(lines[-(len(models) + 5):]), flush=True)


SECTIONS = ("unstructured", "block", "n:m", "int8", "batch", "conv",
            "conv-int8", "resnet18")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--bin", default=os.path.join(ROOT, "build", "bin"))
    ap.add_argument("--threads", default="1,2")
    ap.add_argument("--processes", type=int, default=1)
    ap.add_argument("--min-time", type=float, default=0.3)
    ap.add_argument("--only", help="comma-separated sections of %s"
                    % ", ".join(SECTIONS))
    ap.add_argument("--ort", help="directory with onnxruntime-node installed")
    ap.add_argument("--markdown", help="write the tables to this file")
    ap.add_argument("--match", help="run only the conv, conv-int8 and batch "
                    "cases whose label contains this text")
    args = ap.parse_args()
    opt = os.path.join(args.bin, "compress-opt")
    runner = os.path.join(args.bin, "compress-run")
    args.threads_list = [int(t) for t in args.threads.split(",")]
    only = args.only.split(",") if args.only else SECTIONS
    rng = np.random.default_rng(0)
    lines = []
    with tempfile.TemporaryDirectory() as tmp:
        if "unstructured" in only:
            layer_section(args, opt, runner, tmp, rng, "unstructured",
                          SHAPES, SPARSITIES, lines)
        if "block" in only:
            layer_section(args, opt, runner, tmp, rng, "block", BLOCK_SHAPES,
                          BLOCK_SPARSITIES, lines)
        if "n:m" in only:
            layer_section(args, opt, runner, tmp, rng, "n:m", NM_SHAPES,
                          NM_PATTERNS, lines)
        if "int8" in only:
            int8_section(args, opt, runner, tmp, rng, lines)
        if "batch" in only:
            batch_section(args, opt, runner, tmp, rng, lines)
        if "conv" in only:
            conv_section(args, opt, runner, tmp, rng, lines)
        if "conv-int8" in only:
            conv_int8_section(args, opt, runner, tmp, rng, lines)
        if "resnet18" in only:
            resnet_section(args, opt, runner, tmp, lines)
    if args.markdown:
        with open(args.markdown, "w") as f:
            f.write("\n".join(lines) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
