#!/usr/bin/python3
"""Train the bundled `digits` example models and emit them as MLIR.

Usage:
    /usr/bin/python3 examples/digits/train.py [--out-dir DIR]

Loads scikit-learn's bundled 8x8 `load_digits()` data set (no download),
trains two small float32 models with PyTorch and writes, into DIR (default:
the directory of this script):

  mlp.mlir                   MLP 64-64-32-10, weights as dense<...> literals
  cnn.mlir                   small CNN, weights as dense_resource<...> blobs
  train_x.npy, train_y.npy   training split (float32 [N,64] in [0,1], int64 [N])
  test_x.npy,  test_y.npy    held-out split
  reference_mlp_logits.npy   logits on test_x from an independent float32
  reference_cnn_logits.npy   numpy forward pass over the *emitted* weights
  reference.json             float32 held-out accuracies and sizes

Both MLIR files define

  func.func @predict(%x: tensor<?x64xf32>) -> tensor<?x10xf32>

with a dynamic batch dimension, built from linalg named ops and
linalg.generic on tensors.  Everything is deterministic (fixed seeds, single
thread), so rerunning the script reproduces the same files.
"""

import argparse
import json
import os
import re
import sys

# Single-threaded BLAS / OpenMP for reproducible float results.  Must be set
# before numpy / torch are imported.
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"

import numpy as np  # noqa: E402

SEED = 0
FLUSH_TO_ZERO = 1e-10
NUM_CLASSES = 10


# ----------------------------------------------------------------------------
# Data
# ----------------------------------------------------------------------------

def load_data():
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split

    digits = load_digits()
    x = (digits.data / 16.0).astype(np.float32)
    y = digits.target.astype(np.int64)
    train_x, test_x, train_y, test_y = train_test_split(
        x, y, test_size=0.2, random_state=SEED, stratify=y)
    return (np.ascontiguousarray(train_x), np.ascontiguousarray(train_y),
            np.ascontiguousarray(test_x), np.ascontiguousarray(test_y))


# ----------------------------------------------------------------------------
# Training (PyTorch)
# ----------------------------------------------------------------------------

def train(model, train_x, train_y, epochs, lr, weight_decay, batch_size=64):
    import torch
    import torch.nn.functional as F

    gen = torch.Generator().manual_seed(SEED)
    xs = torch.from_numpy(train_x)
    ys = torch.from_numpy(train_y)
    opt = torch.optim.Adam(model.parameters(), lr=lr,
                           weight_decay=weight_decay)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=epochs)
    n = xs.shape[0]
    for _ in range(epochs):
        model.train()
        perm = torch.randperm(n, generator=gen)
        for i in range(0, n, batch_size):
            idx = perm[i:i + batch_size]
            opt.zero_grad()
            loss = F.cross_entropy(model(xs[idx]), ys[idx])
            loss.backward()
            opt.step()
        sched.step()
    model.eval()
    return model


def build_and_train(train_x, train_y):
    import torch
    import torch.nn as nn

    torch.manual_seed(SEED)
    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)

    class MLP(nn.Module):
        def __init__(self):
            super().__init__()
            self.fc1 = nn.Linear(64, 64)
            self.fc2 = nn.Linear(64, 32)
            self.fc3 = nn.Linear(32, NUM_CLASSES)

        def forward(self, x):
            x = torch.relu(self.fc1(x))
            x = torch.relu(self.fc2(x))
            return self.fc3(x)

    class CNN(nn.Module):
        def __init__(self):
            super().__init__()
            self.conv1 = nn.Conv2d(1, 8, 3, padding=1)
            self.conv2 = nn.Conv2d(8, 16, 3, padding=1)
            self.fc = nn.Linear(16 * 4 * 4, NUM_CLASSES)

        def forward(self, x):
            x = x.reshape(-1, 1, 8, 8)
            x = torch.relu(self.conv1(x))
            x = torch.max_pool2d(x, 2, 2)
            x = torch.relu(self.conv2(x))
            return self.fc(x.flatten(1))

    torch.manual_seed(SEED)
    mlp = train(MLP(), train_x, train_y, epochs=100, lr=1e-3,
                weight_decay=1e-4)
    torch.manual_seed(SEED + 1)
    cnn = train(CNN(), train_x, train_y, epochs=40, lr=3e-3,
                weight_decay=1e-4)

    def np32(t):
        a = np.ascontiguousarray(t.detach().numpy().astype(np.float32))
        # Weights fed only by always-zero pixels decay towards zero and end up
        # as tiny (possibly subnormal) numbers; make them exact zeros.
        a[np.abs(a) < FLUSH_TO_ZERO] = 0.0
        return a

    mlp_w = {
        # linalg.matmul computes x[N,K] * W[K,M]: store transposed weights.
        "w1": np32(mlp.fc1.weight.T), "b1": np32(mlp.fc1.bias),
        "w2": np32(mlp.fc2.weight.T), "b2": np32(mlp.fc2.bias),
        "w3": np32(mlp.fc3.weight.T), "b3": np32(mlp.fc3.bias),
    }
    cnn_w = {
        # conv_2d_nchw_fchw filters have torch's [F, C, KH, KW] layout.
        "conv1_weight": np32(cnn.conv1.weight), "conv1_bias": np32(cnn.conv1.bias),
        "conv2_weight": np32(cnn.conv2.weight), "conv2_bias": np32(cnn.conv2.bias),
        "fc_weight": np32(cnn.fc.weight.T), "fc_bias": np32(cnn.fc.bias),
    }
    return mlp_w, cnn_w


# ----------------------------------------------------------------------------
# Independent float32 numpy forward passes
# ----------------------------------------------------------------------------

def np_mlp(w, x):
    f32 = np.float32
    h = np.maximum(x @ w["w1"] + w["b1"], f32(0))
    h = np.maximum(h @ w["w2"] + w["b2"], f32(0))
    return (h @ w["w3"] + w["b3"]).astype(np.float32)


def np_conv2d_same3x3(x, w, b):
    """x: [N,C,H,W], w: [F,C,3,3]; zero padding 1, stride 1 (float32)."""
    n, c, h, wd = x.shape
    xp = np.zeros((n, c, h + 2, wd + 2), dtype=np.float32)
    xp[:, :, 1:-1, 1:-1] = x
    # im2col: [N, H, W, C*3*3]
    cols = np.empty((n, h, wd, c, 3, 3), dtype=np.float32)
    for kh in range(3):
        for kw in range(3):
            cols[..., kh, kw] = xp[:, :, kh:kh + h, kw:kw + wd].transpose(0, 2, 3, 1)
    out = cols.reshape(n * h * wd, c * 9) @ w.reshape(w.shape[0], c * 9).T
    out = out.reshape(n, h, wd, -1).transpose(0, 3, 1, 2) + b[None, :, None, None]
    return out.astype(np.float32)


def np_cnn(w, x):
    f32 = np.float32
    n = x.shape[0]
    a = x.reshape(n, 1, 8, 8)
    a = np.maximum(np_conv2d_same3x3(a, w["conv1_weight"], w["conv1_bias"]), f32(0))
    a = a.reshape(n, 8, 4, 2, 4, 2).max(axis=(3, 5))
    a = np.maximum(np_conv2d_same3x3(a, w["conv2_weight"], w["conv2_bias"]), f32(0))
    a = a.reshape(n, 16 * 4 * 4)
    return (a @ w["fc_weight"] + w["fc_bias"]).astype(np.float32)


def accuracy(logits, y):
    return float((np.argmax(logits, axis=1) == y).mean())


# ----------------------------------------------------------------------------
# MLIR emission
# ----------------------------------------------------------------------------

def fmt_f32(v):
    """Shortest decimal that round-trips to the float32 value, always with a
    '.' so that MLIR lexes it as a float literal."""
    v = np.float32(v)
    if not np.isfinite(v):
        raise ValueError("non-finite weight")
    s = str(v)  # numpy prints the shortest round-tripping repr
    mant, sep, exp = s.partition("e")
    if "." not in mant:
        mant += ".0"
    return mant + (("e" + exp) if sep else "")


def dense_literal(arr):
    """Nested dense<...> literal body for a float32 array."""
    if arr.ndim == 0:
        return fmt_f32(arr)
    if arr.ndim == 1:
        return "[" + ", ".join(fmt_f32(v) for v in arr) + "]"
    return "[" + ", ".join(dense_literal(a) for a in arr) + "]"


def tensor_type(shape):
    return "tensor<" + "x".join(str(d) for d in shape) + "xf32>"


def resource_blob(arr):
    # 4-byte little-endian alignment header (4), then raw little-endian f32.
    data = np.ascontiguousarray(arr, dtype="<f4").tobytes()
    return "0x04000000" + data.hex().upper()


HEADER = """\
// Generated by examples/digits/train.py -- do not edit.
// {desc}
// Trained on scikit-learn load_digits() (x / 16.0), held-out accuracy
// (float32, numpy reference): {acc:.4f}.
"""

RELU_BIAS_2D = """\
    %{out} = linalg.generic {{indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]}} ins(%{inp}, %{bias} : tensor<?x{m}xf32>, tensor<{m}xf32>) outs(%{init} : tensor<?x{m}xf32>) {{
    ^bb0(%in: f32, %b: f32, %o: f32):
      %s = arith.addf %in, %b : f32
{relu}      linalg.yield %{res} : f32
    }} -> tensor<?x{m}xf32>
"""


def emit_dense_layer(lines, idx, inp, k, m, relu):
    lines.append(f"    %e{idx} = tensor.empty(%n) : tensor<?x{m}xf32>\n")
    lines.append(f"    %f{idx} = linalg.fill ins(%zero : f32) outs(%e{idx} : tensor<?x{m}xf32>) -> tensor<?x{m}xf32>\n")
    lines.append(f"    %mm{idx} = linalg.matmul ins(%{inp}, %w{idx} : tensor<?x{k}xf32>, tensor<{k}x{m}xf32>) outs(%f{idx} : tensor<?x{m}xf32>) -> tensor<?x{m}xf32>\n")
    relu_txt = "      %r = arith.maximumf %s, %zero : f32\n" if relu else ""
    lines.append(RELU_BIAS_2D.format(out=f"h{idx}", inp=f"mm{idx}", bias=f"b{idx}",
                                     m=m, init=f"e{idx}", relu=relu_txt,
                                     res="r" if relu else "s"))


def emit_mlp(w, acc):
    dims = [64, 64, 32, 10]
    out = [HEADER.format(desc="MLP 64 -> 64 -> relu -> 32 -> relu -> 10, "
                              "weights as dense<...> literals.", acc=acc)]
    out.append("module {\n")
    out.append("  func.func @predict(%x: tensor<?x64xf32>) -> tensor<?x10xf32> {\n")
    out.append("    %c0 = arith.constant 0 : index\n")
    out.append("    %n = tensor.dim %x, %c0 : tensor<?x64xf32>\n")
    out.append("    %zero = arith.constant 0.0 : f32\n")
    for i in range(3):
        wk, bk = f"w{i + 1}", f"b{i + 1}"
        out.append(f"    %{wk} = arith.constant dense<{dense_literal(w[wk])}> : {tensor_type(w[wk].shape)}\n")
        out.append(f"    %{bk} = arith.constant dense<{dense_literal(w[bk])}> : {tensor_type(w[bk].shape)}\n")
    inp = "x"
    for i in range(3):
        emit_dense_layer(out, i + 1, inp, dims[i], dims[i + 1], relu=(i < 2))
        inp = f"h{i + 1}"
    out.append(f"    return %{inp} : tensor<?x10xf32>\n")
    out.append("  }\n}\n")
    return "".join(out)


CNN_BODY = """\
module {
  func.func @predict(%x: tensor<?x64xf32>) -> tensor<?x10xf32> {
    %c0 = arith.constant 0 : index
    %n = tensor.dim %x, %c0 : tensor<?x64xf32>
    %zero = arith.constant 0.0 : f32
    %ninf = arith.constant 0xFF800000 : f32
    %conv1_w = arith.constant dense_resource<conv1_weight> : tensor<8x1x3x3xf32>
    %conv1_b = arith.constant dense_resource<conv1_bias> : tensor<8xf32>
    %conv2_w = arith.constant dense_resource<conv2_weight> : tensor<16x8x3x3xf32>
    %conv2_b = arith.constant dense_resource<conv2_bias> : tensor<16xf32>
    %fc_w = arith.constant dense_resource<fc_weight> : tensor<256x10xf32>
    %fc_b = arith.constant dense_resource<fc_bias> : tensor<10xf32>

    // [N, 64] -> [N, 1, 8, 8] -> zero pad to [N, 1, 10, 10]
    %img = tensor.expand_shape %x [[0], [1, 2, 3]] output_shape [%n, 1, 8, 8] : tensor<?x64xf32> into tensor<?x1x8x8xf32>
    %pad1 = tensor.pad %img low[0, 0, 1, 1] high[0, 0, 1, 1] {
    ^bb0(%i0: index, %i1: index, %i2: index, %i3: index):
      tensor.yield %zero : f32
    } : tensor<?x1x8x8xf32> to tensor<?x1x10x10xf32>

    // conv 1 -> 8, 3x3, then bias + relu
    %e1 = tensor.empty(%n) : tensor<?x8x8x8xf32>
    %f1 = linalg.fill ins(%zero : f32) outs(%e1 : tensor<?x8x8x8xf32>) -> tensor<?x8x8x8xf32>
    %conv1 = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%pad1, %conv1_w : tensor<?x1x10x10xf32>, tensor<8x1x3x3xf32>) outs(%f1 : tensor<?x8x8x8xf32>) -> tensor<?x8x8x8xf32>
    %act1 = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>, affine_map<(d0, d1, d2, d3) -> (d1)>, affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%conv1, %conv1_b : tensor<?x8x8x8xf32>, tensor<8xf32>) outs(%e1 : tensor<?x8x8x8xf32>) {
    ^bb0(%in: f32, %b: f32, %o: f32):
      %s = arith.addf %in, %b : f32
      %r = arith.maximumf %s, %zero : f32
      linalg.yield %r : f32
    } -> tensor<?x8x8x8xf32>

    // max pool 2x2, stride 2 -> [N, 8, 4, 4]
    %e2 = tensor.empty(%n) : tensor<?x8x4x4xf32>
    %f2 = linalg.fill ins(%ninf : f32) outs(%e2 : tensor<?x8x4x4xf32>) -> tensor<?x8x4x4xf32>
    %window = tensor.empty() : tensor<2x2xf32>
    %pool = linalg.pooling_nchw_max {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%act1, %window : tensor<?x8x8x8xf32>, tensor<2x2xf32>) outs(%f2 : tensor<?x8x4x4xf32>) -> tensor<?x8x4x4xf32>

    // zero pad to [N, 8, 6, 6], conv 8 -> 16, 3x3, then bias + relu
    %pad2 = tensor.pad %pool low[0, 0, 1, 1] high[0, 0, 1, 1] {
    ^bb0(%i0: index, %i1: index, %i2: index, %i3: index):
      tensor.yield %zero : f32
    } : tensor<?x8x4x4xf32> to tensor<?x8x6x6xf32>
    %e3 = tensor.empty(%n) : tensor<?x16x4x4xf32>
    %f3 = linalg.fill ins(%zero : f32) outs(%e3 : tensor<?x16x4x4xf32>) -> tensor<?x16x4x4xf32>
    %conv2 = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%pad2, %conv2_w : tensor<?x8x6x6xf32>, tensor<16x8x3x3xf32>) outs(%f3 : tensor<?x16x4x4xf32>) -> tensor<?x16x4x4xf32>
    %act2 = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>, affine_map<(d0, d1, d2, d3) -> (d1)>, affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%conv2, %conv2_b : tensor<?x16x4x4xf32>, tensor<16xf32>) outs(%e3 : tensor<?x16x4x4xf32>) {
    ^bb0(%in: f32, %b: f32, %o: f32):
      %s = arith.addf %in, %b : f32
      %r = arith.maximumf %s, %zero : f32
      linalg.yield %r : f32
    } -> tensor<?x16x4x4xf32>

    // flatten (NCHW order) and fully connected 256 -> 10
    %flat = tensor.collapse_shape %act2 [[0], [1, 2, 3]] : tensor<?x16x4x4xf32> into tensor<?x256xf32>
    %e4 = tensor.empty(%n) : tensor<?x10xf32>
    %f4 = linalg.fill ins(%zero : f32) outs(%e4 : tensor<?x10xf32>) -> tensor<?x10xf32>
    %mm = linalg.matmul ins(%flat, %fc_w : tensor<?x256xf32>, tensor<256x10xf32>) outs(%f4 : tensor<?x10xf32>) -> tensor<?x10xf32>
    %logits = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%mm, %fc_b : tensor<?x10xf32>, tensor<10xf32>) outs(%e4 : tensor<?x10xf32>) {
    ^bb0(%in: f32, %b: f32, %o: f32):
      %s = arith.addf %in, %b : f32
      linalg.yield %s : f32
    } -> tensor<?x10xf32>
    return %logits : tensor<?x10xf32>
  }
}
"""

CNN_RESOURCE_ORDER = ["conv1_weight", "conv1_bias", "conv2_weight",
                      "conv2_bias", "fc_weight", "fc_bias"]


def emit_cnn(w, acc):
    out = [HEADER.format(
        desc="CNN: conv3x3(1->8)+relu, maxpool 2x2, conv3x3(8->16)+relu, "
             "fc(256->10);\n// weights as dense_resource<...> blobs (see the "
             "dialect_resources trailer).", acc=acc)]
    out.append(CNN_BODY)
    out.append("\n{-#\n  dialect_resources: {\n    builtin: {\n")
    entries = [f'      {name}: "{resource_blob(w[name])}"'
               for name in CNN_RESOURCE_ORDER]
    out.append(",\n".join(entries))
    out.append("\n    }\n  }\n#-}\n")
    return "".join(out)


# ----------------------------------------------------------------------------

def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out-dir", default=here)
    args = ap.parse_args()
    os.makedirs(args.out_dir, exist_ok=True)

    train_x, train_y, test_x, test_y = load_data()
    mlp_w, cnn_w = build_and_train(train_x, train_y)

    mlp_logits = np_mlp(mlp_w, test_x)
    cnn_logits = np_cnn(cnn_w, test_x)
    mlp_acc = accuracy(mlp_logits, test_y)
    cnn_acc = accuracy(cnn_logits, test_y)

    def path(name):
        return os.path.join(args.out_dir, name)

    np.save(path("train_x.npy"), train_x)
    np.save(path("train_y.npy"), train_y)
    np.save(path("test_x.npy"), test_x)
    np.save(path("test_y.npy"), test_y)
    np.save(path("reference_mlp_logits.npy"), mlp_logits)
    np.save(path("reference_cnn_logits.npy"), cnn_logits)

    with open(path("mlp.mlir"), "w") as f:
        f.write(emit_mlp(mlp_w, mlp_acc))
    with open(path("cnn.mlir"), "w") as f:
        f.write(emit_cnn(cnn_w, cnn_acc))

    def nparams(w):
        return int(sum(a.size for a in w.values()))

    ref = {
        "dataset": "sklearn.datasets.load_digits, x/16.0 float32, "
                   "train_test_split(test_size=0.2, random_state=0, stratify=y)",
        "num_train": int(train_x.shape[0]),
        "num_test": int(test_x.shape[0]),
        "input_shape": [None, 64],
        "output_shape": [None, NUM_CLASSES],
        "models": {
            "mlp": {
                "file": "mlp.mlir",
                "reference_logits": "reference_mlp_logits.npy",
                "test_accuracy": round(mlp_acc, 6),
                "test_correct": int((np.argmax(mlp_logits, axis=1) == test_y).sum()),
                "num_params": nparams(mlp_w),
                "weight_bytes": 4 * nparams(mlp_w),
                "file_bytes": os.path.getsize(path("mlp.mlir")),
                "weights": {k: list(v.shape) for k, v in mlp_w.items()},
            },
            "cnn": {
                "file": "cnn.mlir",
                "reference_logits": "reference_cnn_logits.npy",
                "test_accuracy": round(cnn_acc, 6),
                "test_correct": int((np.argmax(cnn_logits, axis=1) == test_y).sum()),
                "num_params": nparams(cnn_w),
                "weight_bytes": 4 * nparams(cnn_w),
                "file_bytes": os.path.getsize(path("cnn.mlir")),
                "weights": {k: list(v.shape) for k, v in cnn_w.items()},
            },
        },
    }
    text = json.dumps(ref, indent=2)
    # keep short lists (shapes) on one line
    text = re.sub(r"\[\s+([^\[\]{}]*?)\s+\]",
                  lambda m: "[" + " ".join(m.group(1).split()) + "]", text)
    with open(path("reference.json"), "w") as f:
        f.write(text + "\n")

    print(f"mlp: test accuracy {mlp_acc:.4f} ({nparams(mlp_w)} params)")
    print(f"cnn: test accuracy {cnn_acc:.4f} ({nparams(cnn_w)} params)")
    if mlp_acc < 0.95 or cnn_acc < 0.95:
        print("warning: accuracy below the 0.95 target", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
