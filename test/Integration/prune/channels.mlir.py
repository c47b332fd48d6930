#!/usr/bin/python3
"""Model, inputs and checks of channels.mlir.

  channels.mlir.py make DIR    writes DIR/model.mlir (@predict, NCHW, random
      weights, seed 7): conv 1x1 3 -> 8 + bias + relu; pad, conv 3x3
      8 -> 8, batch norm, residual add with the first relu, relu; pad,
      depthwise 3x3; concat of the depthwise result and the residual sum
      (16 channels); conv 1x1 16 -> 6, relu, max pool 2x2; flatten; matmul
      96 -> 5. Also DIR/x.npy (one input) and DIR/calib.npy (8 inputs).
  channels.mlir.py check DIR PRUNED.npy OPTIONS
      chooses the channels to remove with an independent implementation of
      compress-prune structure=channel (the two first convolutions are one
      group through the residual add; filters ranked by their L1 norm over
      the mean of their layer, summed over the group; round(sparsity x
      channels) of each group go; the classifier's outputs stay), slices
      the original weights (with method=reconstruct, first compensates each
      consumer by least squares on the Gram matrices of DIR/c.json), runs
      the pruned network in numpy on DIR/x.npy and compares with
      PRUNED.npy; prints "channels match" within 1e-4.
"""
import json
import os
import sys

import numpy as np


def weights():
    r = np.random.default_rng(7)

    def n(*shape, scale=0.5):
        return (r.standard_normal(shape) * scale).astype(np.float32)

    return {
        "w1": n(8, 3, 1, 1), "b1": n(8),
        "w2": n(8, 8, 3, 3, scale=0.2),
        "mean": n(8), "scale": (1 + n(8, scale=0.2)), "beta": n(8),
        "dw": n(8, 3, 3),
        "w3": n(6, 16, 1, 1), "fc": n(96, 5),
    }


def dense(a):
    return "dense<%s>" % json.dumps(a.tolist())


MODEL = """#id = affine_map<(n, c, h, w) -> (n, c, h, w)>
#ch = affine_map<(n, c, h, w) -> (c)>
func.func @predict(%x: tensor<1x3x8x8xf32>) -> tensor<1x5xf32> {
  %zero = arith.constant 0.0 : f32
  %ninf = arith.constant 0xFF800000 : f32
  %w1 = arith.constant W1 : tensor<8x3x1x1xf32>
  %b1 = arith.constant B1 : tensor<8xf32>
  %w2 = arith.constant W2 : tensor<8x8x3x3xf32>
  %mean = arith.constant MEAN : tensor<8xf32>
  %scale = arith.constant SCALE : tensor<8xf32>
  %beta = arith.constant BETA : tensor<8xf32>
  %dw = arith.constant DW : tensor<8x3x3xf32>
  %w3 = arith.constant W3 : tensor<6x16x1x1xf32>
  %fc = arith.constant FC : tensor<96x5xf32>
  %e8 = tensor.empty() : tensor<1x8x8x8xf32>
  %f8 = linalg.fill ins(%zero : f32) outs(%e8 : tensor<1x8x8x8xf32>) -> tensor<1x8x8x8xf32>
  %c1 = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %w1 : tensor<1x3x8x8xf32>, tensor<8x3x1x1xf32>) outs(%f8 : tensor<1x8x8x8xf32>) -> tensor<1x8x8x8xf32>
  %r1 = linalg.generic {indexing_maps = [#id, #ch, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%c1, %b1 : tensor<1x8x8x8xf32>, tensor<8xf32>) outs(%e8 : tensor<1x8x8x8xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %s = arith.addf %a, %b : f32
    %r = arith.maximumf %s, %zero : f32
    linalg.yield %r : f32
  } -> tensor<1x8x8x8xf32>
  %p1 = tensor.pad %r1 low[0, 0, 1, 1] high[0, 0, 1, 1] {
  ^bb0(%i0: index, %i1: index, %i2: index, %i3: index):
    tensor.yield %zero : f32
  } : tensor<1x8x8x8xf32> to tensor<1x8x10x10xf32>
  %c2 = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%p1, %w2 : tensor<1x8x10x10xf32>, tensor<8x8x3x3xf32>) outs(%f8 : tensor<1x8x8x8xf32>) -> tensor<1x8x8x8xf32>
  %bn = linalg.generic {indexing_maps = [#id, #ch, #ch, #ch, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%c2, %mean, %scale, %beta : tensor<1x8x8x8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>) outs(%e8 : tensor<1x8x8x8xf32>) {
  ^bb0(%a: f32, %m: f32, %s: f32, %b: f32, %o: f32):
    %d = arith.subf %a, %m : f32
    %t = arith.mulf %d, %s : f32
    %y = arith.addf %t, %b : f32
    linalg.yield %y : f32
  } -> tensor<1x8x8x8xf32>
  %sum = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%bn, %r1 : tensor<1x8x8x8xf32>, tensor<1x8x8x8xf32>) outs(%e8 : tensor<1x8x8x8xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %s = arith.addf %a, %b : f32
    %r = arith.maximumf %s, %zero : f32
    linalg.yield %r : f32
  } -> tensor<1x8x8x8xf32>
  %p2 = tensor.pad %sum low[0, 0, 1, 1] high[0, 0, 1, 1] {
  ^bb0(%i0: index, %i1: index, %i2: index, %i3: index):
    tensor.yield %zero : f32
  } : tensor<1x8x8x8xf32> to tensor<1x8x10x10xf32>
  %d = linalg.depthwise_conv_2d_nchw_chw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%p2, %dw : tensor<1x8x10x10xf32>, tensor<8x3x3xf32>) outs(%f8 : tensor<1x8x8x8xf32>) -> tensor<1x8x8x8xf32>
  %cat = tensor.concat dim(1) %d, %sum : (tensor<1x8x8x8xf32>, tensor<1x8x8x8xf32>) -> tensor<1x16x8x8xf32>
  %e6 = tensor.empty() : tensor<1x6x8x8xf32>
  %f6 = linalg.fill ins(%zero : f32) outs(%e6 : tensor<1x6x8x8xf32>) -> tensor<1x6x8x8xf32>
  %c3 = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%cat, %w3 : tensor<1x16x8x8xf32>, tensor<6x16x1x1xf32>) outs(%f6 : tensor<1x6x8x8xf32>) -> tensor<1x6x8x8xf32>
  %r3 = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%c3 : tensor<1x6x8x8xf32>) outs(%e6 : tensor<1x6x8x8xf32>) {
  ^bb0(%a: f32, %o: f32):
    %r = arith.maximumf %a, %zero : f32
    linalg.yield %r : f32
  } -> tensor<1x6x8x8xf32>
  %ep = tensor.empty() : tensor<1x6x4x4xf32>
  %fp = linalg.fill ins(%ninf : f32) outs(%ep : tensor<1x6x4x4xf32>) -> tensor<1x6x4x4xf32>
  %win = tensor.empty() : tensor<2x2xf32>
  %mp = linalg.pooling_nchw_max {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%r3, %win : tensor<1x6x8x8xf32>, tensor<2x2xf32>) outs(%fp : tensor<1x6x4x4xf32>) -> tensor<1x6x4x4xf32>
  %flat = tensor.collapse_shape %mp [[0], [1, 2, 3]] : tensor<1x6x4x4xf32> into tensor<1x96xf32>
  %e5 = tensor.empty() : tensor<1x5xf32>
  %f5 = linalg.fill ins(%zero : f32) outs(%e5 : tensor<1x5xf32>) -> tensor<1x5xf32>
  %y = linalg.matmul ins(%flat, %fc : tensor<1x96xf32>, tensor<96x5xf32>) outs(%f5 : tensor<1x5xf32>) -> tensor<1x5xf32>
  return %y : tensor<1x5xf32>
}
"""


def make(d):
    w = weights()
    model = MODEL
    for name in ("w1", "b1", "w2", "mean", "scale", "beta", "dw", "w3", "fc"):
        model = model.replace(" " + name.upper() + " :", " " + dense(w[name]) +
                              " :")
    with open(os.path.join(d, "model.mlir"), "w") as f:
        f.write(model)
    r = np.random.default_rng(8)
    np.save(os.path.join(d, "x.npy"),
            r.standard_normal((1, 3, 8, 8)).astype(np.float32))
    for i in range(8):
        np.save(os.path.join(d, "calib_%d.npy" % i),
                r.standard_normal((1, 3, 8, 8)).astype(np.float32))


def im2col(x, k):
    """[C, H, W] (already padded) -> [OH * OW, C * k * k] for stride 1."""
    c, h, w = x.shape
    oh, ow = h - k + 1, w - k + 1
    cols = np.empty((oh * ow, c * k * k), np.float64)
    for i in range(oh):
        for j in range(ow):
            cols[i * ow + j] = x[:, i:i + k, j:j + k].reshape(-1)
    return cols


def conv(x, w, pad):
    """x [C, H, W], w [F, C, k, k] -> [F, H', W']."""
    k = w.shape[2]
    xp = np.pad(x, ((0, 0), (pad, pad), (pad, pad)))
    oh = xp.shape[1] - k + 1
    return (im2col(xp, k) @ w.reshape(w.shape[0], -1).T).T.reshape(
        w.shape[0], oh, -1)


def depthwise(x, w):
    xp = np.pad(x, ((0, 0), (1, 1), (1, 1)))
    out = np.zeros_like(x)
    for kh in range(3):
        for kw in range(3):
            out += w[:, kh, kw][:, None, None] * xp[:, kh:kh + 8, kw:kw + 8]
    return out


def forward(p, x):
    r1 = np.maximum(conv(x, p["w1"], 0) + p["b1"][:, None, None], 0)
    bn = ((conv(r1, p["w2"], 1) - p["mean"][:, None, None]) *
          p["scale"][:, None, None] + p["beta"][:, None, None])
    s = np.maximum(bn + r1, 0)
    cat = np.concatenate([depthwise(s, p["dw"]), s])
    r3 = np.maximum(conv(cat, p["w3"], 0), 0)
    c, h, w = r3.shape
    mp = r3.reshape(c, h // 2, 2, w // 2, 2).max(axis=(2, 4))
    return mp.reshape(1, -1) @ p["fc"]


def l1_scores(w):
    s = np.abs(w.astype(np.float64)).reshape(w.shape[0], -1).sum(axis=1)
    return s / s.mean()


def lowest(scores, count):
    order = np.lexsort((np.arange(len(scores)), scores))
    return sorted(order[:count].tolist())


def refit(w2d, removed, h, damp):
    """Rows of w2d (r x k) without the columns `removed`, compensated."""
    w2d = w2d.astype(np.float64)
    k = w2d.shape[1]
    gone = np.zeros(k, bool)
    gone[removed] = True
    diag = np.where(np.diag(h) == 0, 1.0, np.diag(h))
    hk = h[~gone][:, ~gone].copy()
    np.fill_diagonal(hk, diag[~gone] + damp * diag.mean())
    transfer = np.linalg.solve(hk, h[~gone][:, gone])
    out = w2d.copy()
    out[:, ~gone] += w2d[:, gone] @ transfer.T
    out[:, gone] = 0
    return out


def check(d, pruned_path, options):
    opts = dict(o.split("=") for o in options.split())
    sparsity = float(opts.get("sparsity", 0.5))
    damp = float(opts.get("damp", 0.01))
    p = {k: v.astype(np.float64) for k, v in weights().items()}
    # Group A: conv1 and conv2 (joined by the residual add); group B: conv3.
    score_a = l1_scores(p["w1"]) + l1_scores(p["w2"])
    gone_a = lowest(score_a, int(np.floor(sparsity * 8 + 0.5)))
    gone_b = lowest(l1_scores(p["w3"]), int(np.floor(sparsity * 6 + 0.5)))
    keep_a = [i for i in range(8) if i not in gone_a]
    keep_b = [i for i in range(6) if i not in gone_b]
    # Input channels of conv3 (the concat holds group A twice) and rows of
    # the classifier (6 channels x 16 positions).
    gone_cat = gone_a + [8 + i for i in gone_a]
    keep_cat = keep_a + [8 + i for i in keep_a]
    gone_fc = [c * 16 + j for c in gone_b for j in range(16)]
    keep_fc = [c * 16 + j for c in keep_b for j in range(16)]
    if opts.get("method") == "reconstruct":
        with open(os.path.join(d, "c.json")) as f:
            store = json.load(f)

        def gram(key):
            return np.load(os.path.join(
                d, store["tensors"][key]["gram"]["file"])).astype(np.float64)

        # Consumers (compressible-op ordinals): conv2 = 1, conv3 = 3, fc = 4.
        w2 = p["w2"].reshape(8, -1)
        gone_cols = [c * 9 + j for c in gone_a for j in range(9)]
        p["w2"] = refit(w2, gone_cols, gram("predict/1"), damp).reshape(
            p["w2"].shape)
        p["w3"] = refit(p["w3"].reshape(6, -1), gone_cat, gram("predict/3"),
                        damp).reshape(p["w3"].shape)
        p["fc"] = refit(p["fc"].T, gone_fc, gram("predict/4"), damp).T
    q = {
        "w1": p["w1"][keep_a], "b1": p["b1"][keep_a],
        "w2": p["w2"][keep_a][:, keep_a],
        "mean": p["mean"][keep_a], "scale": p["scale"][keep_a],
        "beta": p["beta"][keep_a], "dw": p["dw"][keep_a],
        "w3": p["w3"][keep_b][:, keep_cat], "fc": p["fc"][keep_fc],
    }
    x = np.load(os.path.join(d, "x.npy"))[0].astype(np.float64)
    want = forward(q, x)
    got = np.load(pruned_path)
    err = np.abs(got - want).max()
    scale = np.abs(want).max()
    print("removed A %s B %s" % (gone_a, gone_b))
    if err <= 1e-4 * max(scale, 1.0):
        print("channels match")
    else:
        print("channels differ: max error %g (scale %g)" % (err, scale))
        print("got  ", got)
        print("numpy", want)


if __name__ == "__main__":
    if sys.argv[1] == "make":
        make(sys.argv[2])
    else:
        check(*sys.argv[2:])
