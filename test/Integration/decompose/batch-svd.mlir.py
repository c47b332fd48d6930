#!/usr/bin/python3
"""Model, inputs and checks of batch-svd.mlir.

  batch-svd.mlir.py make DIR
      writes DIR/model.mlir: predict(x) = batch_matmul(x, W) with W 3 x 12
      x 8 (each batch of a decaying spectrum, seed 9; x: 3 x M x 12, M
      dynamic) and DIR/x.npy (M = 5)
  batch-svd.mlir.py full Y_DENSE Y_FACTORED
      prints "full rank matches" when the outputs agree to 1e-4 relative
  batch-svd.mlir.py check FACTORED.mlir RANK
      compares each batch's factor product A_b B_b with numpy's truncated
      SVD of W_b at RANK (to 1e-4 of the largest weight) and the recorded
      weight error with sqrt(sum_b ||W_b - W_b,r||^2 / sum_b ||W_b||^2);
      prints "batches match" and "error matches"
  batch-svd.mlir.py tolerance FACTORED.mlir TOL
      prints "tolerance rank matches" when the rank is the largest of the
      batches' smallest ranks within TOL
"""
import os
import re
import sys

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
import checks  # noqa: E402

B, K, N = 3, 12, 8


def weight():
    r = np.random.default_rng(9)
    out = []
    for b in range(B):
        u, _ = np.linalg.qr(r.standard_normal((K, N)))
        v, _ = np.linalg.qr(r.standard_normal((N, N)))
        s = 2.0 / (1.0 + (b + 1) * np.arange(N))
        out.append((u * s) @ v.T)
    return np.array(out, np.float32)


def make(d):
    w = weight()
    text = """func.func @predict(%%x: tensor<3x?x12xf32>) -> tensor<3x?x8xf32> {
  %%c1 = arith.constant 1 : index
  %%m = tensor.dim %%x, %%c1 : tensor<3x?x12xf32>
  %%w = arith.constant dense<"0x%s"> : tensor<3x12x8xf32>
  %%z = arith.constant 0.0 : f32
  %%e = tensor.empty(%%m) : tensor<3x?x8xf32>
  %%f = linalg.fill ins(%%z : f32) outs(%%e : tensor<3x?x8xf32>) -> tensor<3x?x8xf32>
  %%y = linalg.batch_matmul ins(%%x, %%w : tensor<3x?x12xf32>, tensor<3x12x8xf32>) outs(%%f : tensor<3x?x8xf32>) -> tensor<3x?x8xf32>
  return %%y : tensor<3x?x8xf32>
}
""" % w.tobytes().hex().upper()
    with open(os.path.join(d, "model.mlir"), "w") as f:
        f.write(text)
    r = np.random.default_rng(4)
    np.save(os.path.join(d, "x.npy"),
            r.standard_normal((B, 5, K)).astype(np.float32))


def truncated(w, rank):
    u, s, vt = np.linalg.svd(w.astype(np.float64), full_matrices=False)
    return (u[:, :rank] * s[:rank]) @ vt[:rank]


def record(path):
    body = re.search(r"compress.decomposed = \{([^}]*)\}",
                     open(path).read()).group(1)
    return {k: v for k, v in re.findall(r"(\w+) = ([^,]+?)(?: : \w+)?(?:,|$)",
                                        body)}


def full(dense_path, factored_path):
    want = np.load(dense_path).astype(np.float64)
    got = np.load(factored_path).astype(np.float64)
    rel = np.linalg.norm(got - want) / np.linalg.norm(want)
    ok = got.shape == want.shape and rel <= 1e-4
    print("full rank " + ("matches" if ok else "BAD %g" % rel))


def check(path, rank):
    w = weight()
    r = int(rank)
    k = checks.parse_constants(path)
    product = np.einsum("bkr,brn->bkn", k[(B, K, r)], k[(B, r, N)])
    want = np.array([truncated(w[b], r) for b in range(B)])
    ok = np.abs(product - want).max() <= 1e-4 * np.abs(w).max()
    print("batches " + ("match" if ok else "BAD"))
    error = np.sqrt(np.sum((w - want) ** 2) / np.sum(w.astype(np.float64)
                                                      ** 2))
    rec = record(path)
    good = int(rec["rank"]) == r and abs(float(rec["weight_error"]) -
                                         error) <= 1e-5
    print("error " + ("matches" if good else "BAD"))


def tolerance(path, tol):
    w = weight()
    needed = []
    for b in range(B):
        s = np.linalg.svd(w[b].astype(np.float64), compute_uv=False)
        tails = [np.sqrt(np.sum(s[r:] ** 2) / np.sum(s ** 2))
                 for r in range(len(s) + 1)]
        needed.append(next(r for r in range(1, len(s) + 1)
                           if tails[r] <= float(tol)))
    ok = int(record(path)["rank"]) == max(needed)
    print("tolerance rank " + ("matches" if ok else "BAD %s" % needed))


if __name__ == "__main__":
    cmd, rest = sys.argv[1], sys.argv[2:]
    {"make": make, "full": full, "check": check,
     "tolerance": tolerance}[cmd](*rest)
