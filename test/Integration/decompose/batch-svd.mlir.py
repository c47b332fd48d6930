#!/usr/bin/python3
"""Model, inputs and checks of batch-svd.mlir.

  batch-svd.mlir.py make DIR
      writes DIR/model.mlir: predict(x) = batch_matmul(x, W) with W 3 x 12
      x 8 (each batch of a decaying spectrum, seed 9; x: 3 x M x 12, M
      dynamic), DIR/x.npy (M = 5) and DIR/xcal.npy (M = 40, each batch's
      features mixed and scaled differently, for a calibration)
  batch-svd.mlir.py full Y_DENSE Y_FACTORED
      prints "full rank matches" when the outputs agree to 1e-4 relative
  batch-svd.mlir.py check FACTORED.mlir RANK
      compares each batch's factor product A_b B_b with numpy's truncated
      SVD of W_b at RANK (to 1e-4 of the largest weight) and the recorded
      weight error with sqrt(sum_b ||W_b - W_b,r||^2 / sum_b ||W_b||^2);
      prints "batches match" and "error matches"
  batch-svd.mlir.py whitened DIR FACTORED.mlir PLAIN.mlir RANK DAMP
      with the calibration DIR/cal.json ((B K) x (B K) Gram matrix H over
      xcal): compares each batch's A_b B_b with numpy's whitened truncated
      SVD W_b V V^T (V: the RANK leading eigenvectors of W_b^T (H_b + DAMP
      mean(diag H_b) I) W_b, H_b the b-th diagonal block of H), the
      recorded output error with sqrt(sum_b tr(E_b^T H_b E_b) / sum_b
      tr(W_b^T H_b W_b)), and that it is below PLAIN.mlir's; prints
      "whitened batches match", "output error matches" and "whitened
      better"
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
    mix = [r.standard_normal((K, K)) * (0.3 + 2.0 * np.exp(-np.arange(K) /
                                                            (b + 1.5)))
           for b in range(B)]
    xcal = np.array([r.standard_normal((40, K)) @ m.T for m in mix])
    np.save(os.path.join(d, "xcal.npy"), xcal.astype(np.float32))


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


def products(path, rank):
    k = checks.parse_constants(path)
    return np.einsum("bkr,brn->bkn", k[(B, K, rank)], k[(B, rank, N)])


def whitened(d, path, plain_path, rank, damp):
    import json
    w = weight().astype(np.float64)
    r = int(rank)
    with open(os.path.join(d, "cal.json")) as f:
        store = json.load(f)
    (entry,) = [e for e in store["tensors"].values() if "gram" in e]
    h = np.load(os.path.join(d, entry["gram"]["file"])).astype(np.float64)
    blocks = [h[b * K:(b + 1) * K, b * K:(b + 1) * K] for b in range(B)]
    want = []
    for b in range(B):
        hd = blocks[b] + float(damp) * np.mean(np.diag(blocks[b])) * np.eye(K)
        v = np.linalg.eigh(w[b].T @ hd @ w[b])[1][:, ::-1][:, :r]
        want.append(w[b] @ v @ v.T)
    want = np.array(want)
    got = products(path, r)
    ok = np.abs(got - want).max() <= 1e-4 * np.abs(w).max()
    print("whitened batches " + ("match" if ok else "BAD"))

    def output_error(approx):
        rest = sum(np.trace((w[b] - approx[b]).T @ blocks[b] @
                            (w[b] - approx[b])) for b in range(B))
        whole = sum(np.trace(w[b].T @ blocks[b] @ w[b]) for b in range(B))
        return np.sqrt(rest / whole)
    error = output_error(want)
    recorded = float(record(path)["output_error"])
    print("output error " + ("matches" if abs(recorded - error) <= 1e-5
                             else "BAD %g %g" % (recorded, error)))
    plain = output_error(products(plain_path, r))
    print("whitened " + ("better" if error < plain else
                         "BAD %g >= %g" % (error, plain)))


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
    {"make": make, "full": full, "check": check, "whitened": whitened,
     "tolerance": tolerance}[cmd](*rest)
