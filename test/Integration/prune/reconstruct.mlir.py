#!/usr/bin/python3
"""Model, inputs and checks of reconstruct.mlir.

  reconstruct.mlir.py make DIR     writes DIR/model.mlir (@predict: a
      matmul 24 -> 12 and a 3x3 NCHW convolution 8 -> 4 channels, constant
      weights, seed 5) and DIR/x.npy, DIR/img.npy (correlated calibration
      inputs)
  reconstruct.mlir.py check DIR PRUNED.mlir MAGNITUDE.mlir OPTIONS
      parses the pruned
      weights of PRUNED.mlir, prunes the original weights with an
      independent numpy implementation of the same algorithm (greedy OBS,
      or SparseGPT with solver=sparsegpt, on the Gram matrices of
      DIR/c.json), and prints "<op> matches" when both keep the same
      weights and agree to 1e-4 of the largest weight, "<op> optimal" (OBS)
      when the kept weights are the least-squares optimum for those zeros
      (solved directly), and "<op> better" when the least-squares error
      ||(W - W')X|| is below that of MAGNITUDE.mlir (the same structure
      with method=magnitude)
"""
import json
import os
import re
import sys

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
import checks  # noqa: E402

BLOCK = 128


def weights():
    r = np.random.default_rng(5)
    return (r.standard_normal((24, 12)).astype(np.float32),
            r.standard_normal((4, 8, 3, 3)).astype(np.float32))


def dense(a):
    return "dense<%s>" % json.dumps(a.tolist())


def make(d):
    wm, wc = weights()
    model = """func.func @predict(%%x: tensor<?x24xf32>, %%img: tensor<1x8x6x6xf32>) -> (tensor<?x12xf32>, tensor<1x4x4x4xf32>) {
  %%c0 = arith.constant 0 : index
  %%n = tensor.dim %%x, %%c0 : tensor<?x24xf32>
  %%wm = arith.constant %s : tensor<24x12xf32>
  %%wc = arith.constant %s : tensor<4x8x3x3xf32>
  %%z = arith.constant 0.0 : f32
  %%e = tensor.empty(%%n) : tensor<?x12xf32>
  %%f = linalg.fill ins(%%z : f32) outs(%%e : tensor<?x12xf32>) -> tensor<?x12xf32>
  %%y = linalg.matmul ins(%%x, %%wm : tensor<?x24xf32>, tensor<24x12xf32>) outs(%%f : tensor<?x12xf32>) -> tensor<?x12xf32>
  %%ec = tensor.empty() : tensor<1x4x4x4xf32>
  %%fc = linalg.fill ins(%%z : f32) outs(%%ec : tensor<1x4x4x4xf32>) -> tensor<1x4x4x4xf32>
  %%c = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
      ins(%%img, %%wc : tensor<1x8x6x6xf32>, tensor<4x8x3x3xf32>) outs(%%fc : tensor<1x4x4x4xf32>) -> tensor<1x4x4x4xf32>
  return %%y, %%c : tensor<?x12xf32>, tensor<1x4x4x4xf32>
}
""" % (dense(wm), dense(wc))
    with open(os.path.join(d, "model.mlir"), "w") as f:
        f.write(model)
    r = np.random.default_rng(6)
    # Correlated columns: the Gram matrices are far from diagonal.
    mix = r.standard_normal((24, 24)) * 0.5 + np.eye(24)
    x = (r.standard_normal((200, 24)) @ mix).astype(np.float32)
    np.save(os.path.join(d, "x.npy"), x)
    img = r.standard_normal((1, 8, 6, 6)).astype(np.float32)
    img += 0.8 * np.roll(img, 1, axis=1)
    np.save(os.path.join(d, "img.npy"), img.astype(np.float32))


def split_count(total, sizes):
    """round(total) split over `sizes` by cumulative rounding."""
    counts, seen, given, whole = [], 0, 0, sum(sizes)
    for size in sizes:
        seen += size
        up_to = int(np.floor(total * seen / whole + 0.5)) if whole else 0
        counts.append(up_to - given)
        given = up_to
    return counts


def lowest(scores, count):
    """Mask of the `count` lowest scores (ties: lower index first)."""
    flat = scores.ravel()
    order = np.lexsort((np.arange(flat.size), flat))
    mask = np.zeros(flat.size, bool)
    mask[order[:count]] = True
    return mask.reshape(scores.shape)


def dampened(w, h, damp):
    """w (float64) without the columns of inputs never seen, and h with
    their diagonal 1 and `damp` times its mean diagonal added."""
    w = w.astype(np.float64).copy()
    h = h.astype(np.float64).copy()
    dead = np.diag(h) == 0
    h[dead, dead] = 1
    w[:, dead] = 0
    h += damp * np.mean(np.diag(h)) * np.eye(len(h))
    return w, h


def sparsegpt(w, h, structure, sparsity, damp, along, across, n, m):
    """Rows of w (r x k, columns already in processing order), Gram h."""
    w, h = dampened(w, h, damp)
    u = np.linalg.cholesky(np.linalg.inv(h)).T  # inv(h) = u.T @ u
    r, k = w.shape
    block = (BLOCK + along - 1) // along * along
    units = r // across * k // along
    counts = split_count(np.floor(sparsity * units + 0.5),
                         [min(block, k - j) // along * r // across
                          for j in range(0, k, block)])
    for b, j1 in enumerate(range(0, k, block)):
        j2 = min(j1 + block, k)
        w1 = w[:, j1:j2].copy()
        err = np.zeros_like(w1)
        d = np.diag(u)[j1:j2]
        mask = np.zeros(w1.shape, bool)
        if structure != "n:m":
            sal = w1 ** 2 / d ** 2
            us = sal.reshape(r // across, across, (j2 - j1) // along,
                             along).sum(axis=(1, 3))
            um = lowest(us, counts[b])
            mask = np.repeat(np.repeat(um, across, 0), along, 1)
        for j in range(j2 - j1):
            if structure == "n:m" and j % along == 0:
                sal = w1[:, j:j + m] ** 2 / d[j:j + m] ** 2
                for i in range(r):
                    order = np.lexsort((np.arange(m), sal[i]))
                    mask[i, j + order[:m - n]] = True
            q = np.where(mask[:, j], 0.0, w1[:, j])
            e = (w1[:, j] - q) / d[j]
            w1[:, j:] -= np.outer(e, u[j1 + j, j1 + j:j2])
            w1[:, j] = q
            err[:, j] = e
        w[:, j1:j2] = w1
        w[:, j2:] -= err @ u[j1:j2, j2:]
    return w


def obs(w, h, structure, sparsity, damp, along, across, n, m):
    """Greedy optimal brain surgeon on the rows of w (r x k, columns in
    processing order), Gram h: the reference of solver=obs."""
    w, h = dampened(w, h, damp)
    hinv = np.linalg.inv(h)
    r, k = w.shape
    nm = structure == "n:m"
    if nm:
        along = 1
        counts = [k // m * (m - n)] * r
    else:
        units = r // across * k // along
        counts = split_count(np.floor(sparsity * units + 0.5),
                             [k // along] * (r // across))
    for g in range(r // across):
        rows = w[g * across:(g + 1) * across].copy()
        hi = hinv.copy()
        alive = np.ones(k // along, bool)
        lost = np.zeros(k // m if nm else 1, int)
        for _ in range(counts[g]):
            best, bu = np.inf, -1
            for u in range(k // along):
                if not alive[u] or (nm and lost[u // m] >= m - n):
                    continue
                U = slice(u * along, (u + 1) * along)
                wu = rows[:, U]
                loss = np.trace(wu @ np.linalg.solve(hi[U, U], wu.T))
                if loss < best:
                    best, bu = loss, u
            U = slice(bu * along, (bu + 1) * along)
            inv_uu = np.linalg.inv(hi[U, U])
            rows -= rows[:, U] @ inv_uu @ hi[U, :]
            hi -= hi[:, U] @ inv_uu @ hi[U, :]
            rows[:, U] = 0
            hi[U, :] = 0
            hi[:, U] = 0
            hi[U, U] = np.eye(along)
            alive[bu] = False
            if nm:
                lost[bu // m] += 1
        w[g * across:(g + 1) * across] = rows
    return w, h


def grams(d):
    with open(os.path.join(d, "c.json")) as f:
        store = json.load(f)
    out = {}
    for key, entry in store["tensors"].items():
        if "gram" in entry:
            out[key] = np.load(os.path.join(d, entry["gram"]["file"]))
    return out


def im2col(img):
    cols = []
    for oh in range(4):
        for ow in range(4):
            cols.append(img[0, :, oh:oh + 3, ow:ow + 3].reshape(-1))
    return np.array(cols, np.float64)


def check(d, pruned_path, magnitude_path, options):
    opts = dict(o.split("=") for o in options.split())
    structure = opts.get("structure", "unstructured")
    sparsity = float(opts.get("sparsity", 0.5))
    n, m = int(opts.get("n", 2)), int(opts.get("m", 4))
    along, across = 1, 1
    if structure == "n:m":
        along, sparsity = m, 1 - n / m
    elif structure == "block":
        along, across = (int(v) for v in opts["block"].split("x"))
    damp = float(opts.get("damp", 0.01))
    wm, wc = weights()
    pruned = checks.parse_constants(pruned_path)
    by_magnitude = checks.parse_constants(magnitude_path)
    magnitude = {"matmul": by_magnitude[(24, 12)].T,
                 "conv": by_magnitude[(4, 8, 3, 3)].reshape(4, 72)}
    g = grams(d)
    x = np.load(os.path.join(d, "x.npy")).astype(np.float64)
    img = np.load(os.path.join(d, "img.npy")).astype(np.float64)
    # The matmul: rows are the 12 output columns, k the 24 inputs.
    cases = [("matmul", wm.T, g["predict/0"], pruned[(24, 12)].T,
              np.arange(24), x)]
    # The convolution: rows the 4 filters, k = (c, kh, kw); processed in
    # the order (kh, kw, c) so that input channels are consecutive.
    order = np.array(sorted(range(72), key=lambda q: (q % 9, q // 9)))
    cases.append(("conv", wc.reshape(4, 72), g["predict/1"],
                  pruned[(4, 8, 3, 3)].reshape(4, 72), order, im2col(img)))
    for name, w, h, ours, order, inputs in cases:
        ref = np.zeros_like(w, np.float64)
        hp = h[np.ix_(order, order)]
        if opts.get("solver", "auto") == "sparsegpt":
            ref[:, order] = sparsegpt(w[:, order], hp, structure, sparsity,
                                      damp, along, across, n, m)
        else:  # these layers are small: auto is obs
            ref[:, order], damped = obs(w[:, order], hp, structure,
                                        sparsity, damp, along, across, n, m)
            # Greedy OBS ends at the least-squares optimum of its zeros.
            best = np.zeros_like(w, np.float64)
            wp = w[:, order].astype(np.float64)
            for i in range(w.shape[0]):
                keep = ref[i, order] != 0
                best[i, order[keep]] = np.linalg.solve(
                    damped[np.ix_(keep, keep)], damped[keep] @ wp[i])
            optimal = np.max(np.abs(ours - best)) <= 1e-4 * np.max(np.abs(w))
            print("%s %s" % (name, "optimal" if optimal else "NOT OPTIMAL"))
        same_mask = np.array_equal(ours == 0, ref == 0)
        close = np.max(np.abs(ours - ref)) <= 1e-4 * np.max(np.abs(w))
        print("%s %s" % (name, "matches" if same_mask and close else
                         "DIFFERS: mask %s, max diff %g" % (
                             same_mask, np.max(np.abs(ours - ref)))))
        # compress-prune's magnitude pruning with the same structure.
        mag = magnitude[name]

        def error(v):
            return np.linalg.norm((w - v) @ inputs.T)
        print("%s %s (%.3g vs magnitude %.3g)" % (
            name, "better" if error(ours) < error(mag) else "WORSE",
            error(ours), error(mag)))


if __name__ == "__main__":
    if sys.argv[1] == "make":
        make(sys.argv[2])
    else:
        check(sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5])
