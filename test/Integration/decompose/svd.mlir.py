#!/usr/bin/python3
"""Model, inputs and checks of svd.mlir.

  svd.mlir.py make DIR
      writes DIR/model.mlir: predict(x) = relu(x W1) W2 with W1 24 x 16 and
      W2 16 x 10 of decaying spectra (seed 7); DIR/x.npy (300 calibration
      rows, correlated: a few directions dominate) and DIR/xt.npy (test
      rows)
  svd.mlir.py full DIR Y_DENSE Y_FACTORED
      prints "full rank matches" when the model factored at full rank
      computes the dense model's outputs to 1e-4 relative
  svd.mlir.py check DIR FACTORED.mlir RANK [whitened DAMP]
      compares the factors' products A B with numpy's truncated SVD of each
      weight (or, whitened, with the SVD of C^T W for H = X^T X + lambda I
      = C C^T, mapped back by C^-T), the errors the pass records with
      numpy's, and prints "<layer> matches" and "<layer> errors match"
  svd.mlir.py ranks DIR F1.mlir F2.mlir ...
      prints "error decreases" when the recorded weight errors fall as the
      rank grows
  svd.mlir.py tolerance DIR FACTORED.mlir TOL
      prints "tolerance rank matches" when the rank chosen for each layer is
      the smallest whose numpy relative error is at most TOL
  svd.mlir.py better DIR PLAIN.mlir WHITENED.mlir
      prints "whitened better" when the whitened factors' output error over
      the calibration inputs is below the plain ones' for both layers
"""
import json
import os
import re
import sys

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
import checks  # noqa: E402

SHAPES = {"predict/0": (24, 16), "predict/1": (16, 10)}


def weights():
    r = np.random.default_rng(7)
    out = {}
    for key, (k, n) in SHAPES.items():
        u, _ = np.linalg.qr(r.standard_normal((k, min(k, n))))
        v, _ = np.linalg.qr(r.standard_normal((n, min(k, n))))
        s = 2.0 / (1.0 + np.arange(min(k, n)))
        out[key] = ((u * s) @ v.T).astype(np.float32)
    return out


def dense(a):
    return "dense<%s>" % json.dumps(a.astype(np.float64).tolist())


def make(d):
    w = weights()
    w1, w2 = w["predict/0"], w["predict/1"]
    model = """func.func @predict(%%x: tensor<?x24xf32>) -> tensor<?x10xf32> {
  %%c0 = arith.constant 0 : index
  %%m = tensor.dim %%x, %%c0 : tensor<?x24xf32>
  %%z = arith.constant 0.0 : f32
  %%w1 = arith.constant %s : tensor<24x16xf32>
  %%e1 = tensor.empty(%%m) : tensor<?x16xf32>
  %%f1 = linalg.fill ins(%%z : f32) outs(%%e1 : tensor<?x16xf32>) -> tensor<?x16xf32>
  %%h = linalg.matmul ins(%%x, %%w1 : tensor<?x24xf32>, tensor<24x16xf32>) outs(%%f1 : tensor<?x16xf32>) -> tensor<?x16xf32>
  %%r = linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>], iterator_types = ["parallel", "parallel"]} ins(%%h : tensor<?x16xf32>) outs(%%e1 : tensor<?x16xf32>) {
  ^bb0(%%a: f32, %%o: f32):
    %%v = arith.maximumf %%a, %%z : f32
    linalg.yield %%v : f32
  } -> tensor<?x16xf32>
  %%w2 = arith.constant %s : tensor<16x10xf32>
  %%e2 = tensor.empty(%%m) : tensor<?x10xf32>
  %%f2 = linalg.fill ins(%%z : f32) outs(%%e2 : tensor<?x10xf32>) -> tensor<?x10xf32>
  %%y = linalg.matmul ins(%%r, %%w2 : tensor<?x16xf32>, tensor<16x10xf32>) outs(%%f2 : tensor<?x10xf32>) -> tensor<?x10xf32>
  return %%y : tensor<?x10xf32>
}
""" % (dense(w1), dense(w2))
    with open(os.path.join(d, "model.mlir"), "w") as f:
        f.write(model)
    r = np.random.default_rng(3)
    # Correlated calibration inputs: 4 strong directions and some noise.
    basis = r.standard_normal((4, 24))
    x = r.standard_normal((300, 4)) @ basis * 2 + \
        0.1 * r.standard_normal((300, 24))
    np.save(os.path.join(d, "x.npy"), x.astype(np.float32))
    np.save(os.path.join(d, "xt.npy"),
            r.standard_normal((7, 24)).astype(np.float32))


def records(path):
    """The compress.decomposed dictionaries of the second factors, in
    order."""
    text = open(path).read()
    out = []
    for body in re.findall(r"compress.decomposed = \{([^}]*)\}", text):
        entry = dict(re.findall(r"(\w+) = \"?([^,\"]+)\"?(?: : \w+)?", body))
        if entry.get("factor", "").startswith("2"):
            out.append({k: v.split(" :")[0] for k, v in entry.items()})
    return out


def grams(d):
    with open(os.path.join(d, "c.json")) as f:
        store = json.load(f)
    return {key: np.load(os.path.join(d, entry["gram"]["file"]))
            for key, entry in store["tensors"].items() if "gram" in entry}


def reference(w, rank, h=None, damp=0.01):
    """The best rank-`rank` approximation of w, plain or for H = h."""
    w = w.astype(np.float64)
    if h is None:
        u, s, vt = np.linalg.svd(w, full_matrices=False)
        return (u[:, :rank] * s[:rank]) @ vt[:rank]
    hd = h + damp * np.mean(np.diag(h)) * np.eye(len(h))
    c = np.linalg.cholesky(hd)  # hd = c c^T
    u, s, vt = np.linalg.svd(c.T @ w, full_matrices=False)
    return np.linalg.solve(c.T, (u[:, :rank] * s[:rank]) @ vt[:rank])


def rel(a, b):
    return np.linalg.norm(a - b) / np.linalg.norm(b)


def full(d, dense_path, factored_path):
    want = np.load(dense_path).astype(np.float64)
    got = np.load(factored_path).astype(np.float64)
    ok = got.shape == want.shape and rel(got, want) <= 1e-4
    print("full rank " + ("matches" if ok else "BAD %g" % rel(got, want)))


def check(d, path, rank, mode=None, damp=0.01):
    w = weights()
    constants = checks.parse_constants(path)
    recs = records(path)
    g = grams(d) if mode == "whitened" else {}
    for i, (key, (k, n)) in enumerate(SHAPES.items()):
        r = min(int(rank), k, n)
        product = constants[(k, r)] @ constants[(r, n)]
        h = g.get(key)
        want = reference(w[key], r, h, float(damp))
        scale = np.abs(w[key]).max()
        ok = np.abs(product - want).max() <= 1e-4 * scale
        print("%s %s" % (key, "matches" if ok else
                         "BAD %g" % (np.abs(product - want).max() / scale)))
        weight_error = rel(want, w[key].astype(np.float64))
        good = abs(float(recs[i]["weight_error"]) - weight_error) <= 1e-5
        if h is not None:
            e = w[key] - want
            output_error = np.sqrt(np.trace(e.T @ h @ e) /
                                   np.trace(w[key].T.astype(np.float64) @ h
                                            @ w[key]))
            good = good and abs(float(recs[i]["output_error"]) -
                                output_error) <= 1e-5
        print("%s errors %s" % (key, "match" if good else "BAD"))


def ranks(d, *paths):
    errors = [[float(r["weight_error"]) for r in records(p)] for p in paths]
    ok = all(len(e) == len(SHAPES) for e in errors) and all(
        a[i] > b[i] for a, b in zip(errors, errors[1:]) for i in range(len(a)))
    print("error " + ("decreases" if ok else "BAD %s" % errors))


def tolerance(d, path, tol):
    w = weights()
    recs = records(path)
    ok = True
    for i, (key, (k, n)) in enumerate(SHAPES.items()):
        s = np.linalg.svd(w[key].astype(np.float64), compute_uv=False)
        tails = [np.sqrt(np.sum(s[r:] ** 2) / np.sum(s ** 2))
                 for r in range(len(s) + 1)]
        want = next(r for r in range(1, len(s) + 1) if tails[r] <= float(tol))
        ok = ok and int(recs[i]["rank"]) == want
    print("tolerance rank " + ("matches" if ok else "BAD"))


def better(d, plain_path, whitened_path):
    w = weights()
    g = grams(d)
    plain, whitened = checks.parse_constants(plain_path), \
        checks.parse_constants(whitened_path)
    ok = True
    for key, (k, n) in SHAPES.items():
        h = g[key]
        errs = []
        for constants in (plain, whitened):
            r = next(r for (a, r) in constants if a == k and (r, n) in
                     constants)
            e = w[key] - constants[(k, r)] @ constants[(r, n)]
            errs.append(np.trace(e.T @ h @ e))
        ok = ok and errs[1] < errs[0]
    print("whitened " + ("better" if ok else "BAD"))


if __name__ == "__main__":
    cmd, d, rest = sys.argv[1], sys.argv[2], sys.argv[3:]
    {"make": make, "full": full, "check": check, "ranks": ranks,
     "tolerance": tolerance, "better": better}[cmd](d, *rest)
