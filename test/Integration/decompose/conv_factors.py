#!/usr/bin/python3
"""Models, inputs and checks of the decomposition tests of convolutions
(tucker2.mlir, cp.mlir); METHOD is tucker2 or cp.

  conv_factors.py make METHOD DIR
      writes DIR/model.mlir with @nchw (a zero pad of 1, then a 3x3
      convolution 8 -> 12 channels, NCHW) and @nhwc (a 3x3 convolution 6 ->
      10 channels with stride 2, NHWC, dynamic batch), and their inputs
      DIR/x_nchw.npy, DIR/x_nhwc.npy; the kernels (seed 5) have decaying
      mode spectra (tucker2) or are of CP rank 4 plus 1% noise (cp)
  conv_factors.py full Y_DENSE Y_FACTORED
      prints "full rank matches" when the outputs agree to 1e-4 relative
  conv_factors.py check METHOD FACTORED.mlir RANKS...
      rebuilds each layer's kernel from its factor constants (tucker2: @nchw
      at ranks R1 R2, @nhwc at R1' R2'; cp: @nchw at R, @nhwc at R') and
      compares it with an independent numpy implementation of the same
      algorithm (tucker2: truncated HOSVD, then HOOI, one step of
      orthogonal iteration per mode and sweep, until a sweep gains under
      1e-7 of ||W||^2, at most 20 sweeps; cp: CP-ALS from the HOSVD
      start until the error changes by under 1e-7, at most 50 sweeps) to
      1e-4 (tucker2) or 1e-3 (cp) of ||W||, and the recorded weight error with numpy's;
      prints "<layer> matches" and "<layer> error matches"
  conv_factors.py output METHOD FACTORED.mlir LAYER X Y
      prints "<layer> output matches" when Y (the factored layer's output,
      compiled and run) is numpy's convolution of X by the rebuilt kernel
      to 1e-4 relative
  conv_factors.py whitened METHOD DIR LAYER FACTORED.mlir PLAIN.mlir DAMP
      with the calibration DIR/c_LAYER.json of DIR/model_LAYER.mlir (the
      im2col Gram matrix H): checks the input side against numpy's
      factorization of the kernel whitened along its input channels (the
      channel Gram matrix, H's blocks summed over the taps, scaled to a
      mean diagonal of 1, plus the identity, = L L^T; W' = W x_C L; the
      input factor mapped back by L^-1: the same column space, for cp of
      the Khatri-Rao product, to 1e-3); rebuilds the data-aware factors'
      kernel and compares it with numpy's refit of the output side given
      the pass's input-side factors (cp: A = W H K (K^T H K)^-1 for the Khatri-Rao
      product K; tucker2: M = W H P (P^T H P)^-1 for P = V (x) I, then the
      best rank-R2 M in the P^T H P norm; H dampened by DAMP x its mean
      diagonal) to 1e-4 of ||W||; the recorded output error with numpy's;
      and that it is below the plain factors' (PLAIN.mlir); prints
      "<layer> input side matches", "<layer> whitened matches", "<layer> output error matches" and
      "<layer> whitened better"
  conv_factors.py recovers FACTORED.mlir LIMIT
      prints "<layer> recovers" when its recorded weight error is at most
      LIMIT (cp at rank 4 of the CP-rank-4 kernels: about the 1% noise)
  conv_factors.py ranks F1.mlir F2.mlir ...
      prints "error decreases" when the recorded errors fall with the ranks
  conv_factors.py tolerance METHOD FACTORED.mlir TOL
      prints "tolerance ranks match" when each layer's ranks are, for
      tucker2, the pair of fewest multiply-adds whose HOSVD error bound is
      at most TOL; for cp, a rank whose numpy error is at most TOL where the
      rank below it is not
"""
import json
import os
import re
import sys

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
import checks  # noqa: E402

# name: (F, C, kh, kw, stride, padded input size, output size)
LAYERS = {"nchw": (12, 8, 3, 3, 1, 10, 8), "nhwc": (10, 6, 3, 3, 2, 11, 5)}
PAD = {"nchw": 1, "nhwc": 0}


def kernels(method):
    """F x C x kh x kw kernels: decaying output and input modes (tucker2),
    or CP rank 4 plus 1% noise (cp)."""
    r = np.random.default_rng(5)
    out = {}
    for name, (f, c, kh, kw, _, _, _) in LAYERS.items():
        if method == "cp":
            parts = [r.standard_normal((n, 4)) for n in (f, c, kh, kw)]
            w = np.einsum("fr,cr,ir,jr->fcij", *parts)
            w += 0.01 * np.linalg.norm(w) / np.sqrt(w.size) * \
                r.standard_normal(w.shape)
            out[name] = w.astype(np.float32)
            continue
        a, _ = np.linalg.qr(r.standard_normal((f, f)))
        b, _ = np.linalg.qr(r.standard_normal((c, c)))
        core = r.standard_normal((f, c, kh, kw))
        core *= (1.0 / (1 + np.arange(f)))[:, None, None, None]
        core *= (1.0 / (1 + np.arange(c)))[None, :, None, None]
        w = np.einsum("ocij,fo,dc->fdij", core, a, b)
        out[name] = (w + 0.01 * r.standard_normal(w.shape)).astype(np.float32)
    return out


def make(method, d):
    w = kernels(method)
    spell = lambda shape: "x".join(map(str, shape))  # noqa: E731

    def const(a, shape):
        return 'dense<"0x%s">' % np.ascontiguousarray(
            a, np.float32).tobytes().hex().upper(), spell(shape)

    f, c, kh, kw, s, n, o = LAYERS["nchw"]
    kn, kn_shape = const(w["nchw"], (f, c, kh, kw))
    nchw = f"""func.func @nchw(%x: tensor<2x{c}x{n - 2}x{n - 2}xf32>) -> tensor<2x{f}x{o}x{o}xf32> {{
  %z = arith.constant 0.0 : f32
  %p = tensor.pad %x low[0, 0, 1, 1] high[0, 0, 1, 1] {{
  ^bb0(%a: index, %b: index, %c: index, %d: index):
    tensor.yield %z : f32
  }} : tensor<2x{c}x{n - 2}x{n - 2}xf32> to tensor<2x{c}x{n}x{n}xf32>
  %w = arith.constant {kn} : tensor<{kn_shape}xf32>
  %e = tensor.empty() : tensor<2x{f}x{o}x{o}xf32>
  %i = linalg.fill ins(%z : f32) outs(%e : tensor<2x{f}x{o}x{o}xf32>) -> tensor<2x{f}x{o}x{o}xf32>
  %y = linalg.conv_2d_nchw_fchw {{dilations = dense<1> : tensor<2xi64>, strides = dense<{s}> : tensor<2xi64>}} ins(%p, %w : tensor<2x{c}x{n}x{n}xf32>, tensor<{kn_shape}xf32>) outs(%i : tensor<2x{f}x{o}x{o}xf32>) -> tensor<2x{f}x{o}x{o}xf32>
  return %y : tensor<2x{f}x{o}x{o}xf32>
}}
"""
    f, c, kh, kw, s, n, o = LAYERS["nhwc"]
    kh_, kh_shape = const(w["nhwc"].transpose(2, 3, 1, 0), (kh, kw, c, f))
    nhwc = f"""func.func @nhwc(%x: tensor<?x{n}x{n}x{c}xf32>) -> tensor<?x{o}x{o}x{f}xf32> {{
  %c0 = arith.constant 0 : index
  %m = tensor.dim %x, %c0 : tensor<?x{n}x{n}x{c}xf32>
  %z = arith.constant 0.0 : f32
  %w = arith.constant {kh_} : tensor<{kh_shape}xf32>
  %e = tensor.empty(%m) : tensor<?x{o}x{o}x{f}xf32>
  %i = linalg.fill ins(%z : f32) outs(%e : tensor<?x{o}x{o}x{f}xf32>) -> tensor<?x{o}x{o}x{f}xf32>
  %y = linalg.conv_2d_nhwc_hwcf {{dilations = dense<1> : tensor<2xi64>, strides = dense<{s}> : tensor<2xi64>}} ins(%x, %w : tensor<?x{n}x{n}x{c}xf32>, tensor<{kh_shape}xf32>) outs(%i : tensor<?x{o}x{o}x{f}xf32>) -> tensor<?x{o}x{o}x{f}xf32>
  return %y : tensor<?x{o}x{o}x{f}xf32>
}}
"""
    with open(os.path.join(d, "model.mlir"), "w") as out:
        out.write(nchw + nhwc)
    for name, text in (("nchw", nchw), ("nhwc", nhwc)):
        with open(os.path.join(d, "model_%s.mlir" % name), "w") as out:
            out.write(text)
    r = np.random.default_rng(11)
    c, n = LAYERS["nchw"][1], LAYERS["nchw"][5]
    np.save(os.path.join(d, "x_nchw.npy"),
            r.standard_normal((2, c, n - 2, n - 2)).astype(np.float32))
    c, n = LAYERS["nhwc"][1], LAYERS["nhwc"][5]
    np.save(os.path.join(d, "x_nhwc.npy"),
            r.standard_normal((3, n, n, c)).astype(np.float32))


def cp_start(gram, rank):
    """The HOSVD start of a CP factor: the leading eigenvectors of the
    mode's Gram matrix, then the pattern sin(1 + i + 0.7 r), normalized."""
    n = len(gram)
    vecs = np.linalg.eigh(gram)[1][:, ::-1]
    out = np.zeros((n, rank))
    for r in range(rank):
        if r < n:
            out[:, r] = vecs[:, r]
        else:
            col = np.sin(1.0 + np.arange(n) + 0.7 * r)
            out[:, r] = col / np.linalg.norm(col)
    return out


def cp_reference(w, rank, sweeps=50, factors=False):
    """numpy's CP-ALS of the F x C x kh x kw `w`: the rebuilt kernel and its
    relative error (with `factors`, also the input-side factors: C x R, kh x
    R, kw x R)."""
    w = w.astype(np.float64)
    f, c, kh, kw = w.shape
    x0 = w.reshape(f, -1)
    norm2 = np.sum(w ** 2)
    a = cp_start(x0 @ x0.T, rank)
    b = cp_start(np.einsum("fcij,fdij->cd", w, w), rank)
    h = cp_start(np.einsum("fcij,fcyj->iy", w, w), rank)
    ww = cp_start(np.einsum("fcij,fciy->jy", w, w), rank)

    def solve(m, v):
        v = v + 1e-12 * max(np.max(np.diag(v)), 1e-300) * np.eye(rank)
        return np.linalg.solve(v, m.T).T

    def normalize(m):
        n = np.linalg.norm(m, axis=0)
        return m / np.where(n > 0, n, 1)

    error = 1.0
    for _ in range(sweeps):
        gb, gh, gw = b.T @ b, h.T @ h, ww.T @ ww
        kr = np.einsum("cr,ir,jr->cijr", b, h, ww).reshape(-1, rank)
        a = normalize(solve(x0 @ kr, gb * gh * gw))
        y = (a.T @ x0).reshape(rank, c, kh, kw)
        ga = a.T @ a
        b = normalize(solve(np.einsum("rcij,ir,jr->cr", y, h, ww),
                            ga * gh * gw))
        gb = b.T @ b
        h = normalize(solve(np.einsum("rcij,cr,jr->ir", y, b, ww),
                            ga * gb * gw))
        gh = h.T @ h
        m = np.einsum("rcij,cr,ir->jr", y, b, h)
        ww = solve(m, ga * gb * gh)
        gw = ww.T @ ww
        inner = np.sum(m * ww)
        model = np.sum(ga * gb * gh * gw)
        following = np.sqrt(max(0.0, norm2 - 2 * inner + model) / norm2)
        converged = abs(error - following) < 1e-7
        error = following
        if converged:
            break
    rebuilt = np.einsum("fr,cr,ir,jr->fcij", a, b, h, ww)
    error = np.sqrt(np.sum((w - rebuilt) ** 2) / norm2)
    return (rebuilt, error, (b, h, ww)) if factors else (rebuilt, error)


def leading(m, rank):
    """The `rank` leading left singular vectors of m (eigenvectors of m
    m^T)."""
    vals, vecs = np.linalg.eigh(m @ m.T)
    return vecs[:, ::-1][:, :rank]


def tucker2_reference(w, r1, r2, sweeps=20, factors=False):
    """numpy's Tucker-2 (HOSVD, then HOOI) of the F x C x kh x kw `w`: the
    rebuilt kernel and its relative error (with `factors`, also the input
    factor V, C x R1)."""
    w = w.astype(np.float64)
    f, c = w.shape[:2]
    w3 = w.reshape(f, c, -1)
    total = np.sum(w3 ** 2)
    u = leading(w3.reshape(f, -1), r2)
    v = leading(w3.transpose(1, 0, 2).reshape(c, -1), r1)
    energy = lambda u, v: np.sum(  # noqa: E731
        np.einsum("fcs,fo,ci->ois", w3, u, v) ** 2)
    fit = energy(u, v)
    for _ in range(sweeps):
        # One step of orthogonal iteration per mode.
        z = np.einsum("fcs,ci->fis", w3, v).reshape(f, -1)
        nu = np.linalg.qr(z @ (z.T @ u))[0]
        y = np.einsum("fcs,fo->cos", w3, nu).reshape(c, -1)
        nv = np.linalg.qr(y @ (y.T @ v))[0]
        nfit = energy(nu, nv)
        if nfit < fit:
            break
        u, v = nu, nv
        if nfit - fit <= 1e-7 * total:
            break
        fit = nfit
    core = np.einsum("fcs,fo,ci->ois", w3, u, v)
    rebuilt = np.einsum("ois,fo,ci->fcs", core, u, v).reshape(w.shape)
    error = np.sqrt(np.sum((w - rebuilt) ** 2) / total)
    return (rebuilt, error, v) if factors else (rebuilt, error)


def records(path):
    """The compress.decomposed dictionaries of the first factors, in
    order (@nchw, then @nhwc)."""
    out = []
    for body in re.findall(r"compress.decomposed = \{([^}]*)\}",
                           open(path).read()):
        entry = dict(re.findall(r"(\w+) = ([^,]+?)(?: : \w+)?(?:,|$)", body))
        if entry.get("factor") == "1":
            ranks = re.search(r"ranks = array<i64: ([\d, ]+)>", body)
            entry["ranks"] = tuple(int(v) for v in ranks.group(1).split(","))
            out.append(entry)
    return out


def rebuilt(method, path, name, ranks):
    """The kernel (F x C x kh x kw) the factors of layer `name` compute."""
    f, c, kh, kw = LAYERS[name][:4]
    k = checks.parse_constants(path, name)
    if method == "cp":
        (r,) = ranks
        if name == "nchw":
            b = k[(r, c, 1, 1)].reshape(r, c).T
            h = k[(r, kh, 1)].reshape(r, kh).T
            w = k[(r, 1, kw)].reshape(r, kw).T
            a = k[(f, r, 1, 1)].reshape(f, r)
        else:
            b = k[(1, 1, c, r)].reshape(c, r)
            h = k[(kh, 1, r)].reshape(kh, r)
            w = k[(1, kw, r)].reshape(kw, r)
            a = k[(1, 1, r, f)].reshape(r, f).T
        return np.einsum("fr,cr,ir,jr->fcij", a, b, h, w)
    r1, r2 = ranks
    if name == "nchw":
        v = k[(r1, c, 1, 1)].reshape(r1, c)
        g = k[(r2, r1, kh, kw)]
        u = k[(f, r2, 1, 1)].reshape(f, r2)
    else:
        v = k[(1, 1, c, r1)].reshape(c, r1).T
        g = k[(kh, kw, r1, r2)].transpose(3, 2, 0, 1)
        u = k[(1, 1, r2, f)].reshape(r2, f).T
    return np.einsum("oiab,fo,ic->fcab", g, u, v)


def rel(a, b):
    return np.linalg.norm(a - b) / np.linalg.norm(b)


def full(dense_path, factored_path):
    want = np.load(dense_path).astype(np.float64)
    got = np.load(factored_path).astype(np.float64)
    ok = got.shape == want.shape and rel(got, want) <= 1e-4
    print("full rank " + ("matches" if ok else "BAD %g" % rel(got, want)))


def check(method, path, *ranks):
    w = kernels(method)
    recs = records(path)
    per_layer = 1 if method == "cp" else 2
    for i, name in enumerate(LAYERS):
        layer_ranks = tuple(int(v) for v in
                            ranks[per_layer * i:per_layer * (i + 1)])
        if method == "cp":
            want, error = cp_reference(w[name], *layer_ranks)
            limit = 1e-3
        else:
            want, error = tucker2_reference(w[name], *layer_ranks)
            limit = 1e-4
        got = rebuilt(method, path, name, layer_ranks)
        diff = np.linalg.norm(got - want) / np.linalg.norm(w[name])
        print("%s %s" % (name, "matches" if diff <= limit else
                         "BAD %g" % diff))
        recorded = float(recs[i]["weight_error"])
        good = recs[i]["ranks"] == layer_ranks and \
            abs(recorded - error) <= 1e-5
        print("%s error %s" % (name, "matches" if good else
                               "BAD %g %g" % (recorded, error)))


def conv(x, k, stride, pad, channels_last):
    """numpy's convolution (cross-correlation) of the image x by the F x C
    x kh x kw kernel k, in float64."""
    x = x.astype(np.float64)
    if channels_last:
        x = x.transpose(0, 3, 1, 2)
    x = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    f, c, kh, kw = k.shape
    oh = (x.shape[2] - kh) // stride + 1
    ow = (x.shape[3] - kw) // stride + 1
    y = np.zeros((x.shape[0], f, oh, ow))
    for i in range(kh):
        for j in range(kw):
            patch = x[:, :, i:i + stride * oh:stride, j:j + stride * ow:stride]
            y += np.einsum("ncab,fc->nfab", patch, k[:, :, i, j])
    return y.transpose(0, 2, 3, 1) if channels_last else y


def output(method, path, name, x_path, y_path):
    index = list(LAYERS).index(name)
    k = rebuilt(method, path, name, records(path)[index]["ranks"])
    want = conv(np.load(x_path), k, LAYERS[name][4], PAD[name],
                name == "nhwc")
    got = np.load(y_path).astype(np.float64)
    ok = got.shape == want.shape and rel(got, want) <= 1e-4
    print("%s output %s" % (name, "matches" if ok else
                            "BAD %g" % rel(got, want)))


def gram(d, name):
    """The im2col Gram matrix of layer `name`'s calibration, in (c, kh, kw)
    order."""
    with open(os.path.join(d, "c_%s.json" % name)) as f:
        store = json.load(f)
    (entry,) = [e for e in store["tensors"].values() if "gram" in e]
    h = np.load(os.path.join(d, entry["gram"]["file"])).astype(np.float64)
    f_, c, kh, kw = LAYERS[name][:4]
    if name == "nhwc":  # recorded in (kh, kw, c) order
        h = h.reshape(kh, kw, c, kh, kw, c).transpose(2, 0, 1, 5, 3, 4) \
            .reshape(c * kh * kw, c * kh * kw)
    return h


def output_error(w, approx, h):
    e = (w - approx).reshape(len(w), -1)
    w = w.reshape(len(w), -1)
    return np.sqrt(np.trace(e @ h @ e.T) / np.trace(w @ h @ w.T))


def same_span(a, b):
    """The distance between the column spaces of a and b (the norm of the
    difference of their orthogonal projectors)."""
    qa, qb = np.linalg.qr(a)[0], np.linalg.qr(b)[0]
    return np.linalg.norm(qa @ qa.T - qb @ qb.T)


def whitened(method, d, name, path, plain_path, damp):
    w = kernels(method)[name].astype(np.float64)
    f, c, kh, kw = LAYERS[name][:4]
    taps = kh * kw
    h = gram(d, name)
    hd = h + float(damp) * np.mean(np.diag(h)) * np.eye(len(h))
    w0 = w.reshape(f, -1)
    rec = records(path)[0]
    k = checks.parse_constants(path, name)
    # The input side: the kernel whitened along its input channels by the
    # channel Gram matrix (H's blocks summed over the taps, scaled to a
    # mean diagonal of 1, plus the identity) = L L^T, factored, and the input factor
    # V' of the whitened channels mapped back: V^T = L^-T V'^T.
    hc = np.einsum("isjs->ij", h.reshape(c, taps, c, taps))
    hc = hc / np.mean(np.diag(hc)) + np.eye(c)
    lower = np.linalg.cholesky(hc)
    w_white = np.einsum("fcs,cd->fds", w.reshape(f, c, taps),
                        lower).reshape(w.shape)
    if method == "cp":
        (r,) = rec["ranks"]
        if name == "nchw":
            b = k[(r, c, 1, 1)].reshape(r, c).T
            hh = k[(r, kh, 1)].reshape(r, kh).T
            ww = k[(r, 1, kw)].reshape(r, kw).T
        else:
            b = k[(1, 1, c, r)].reshape(c, r)
            hh = k[(kh, 1, r)].reshape(kh, r)
            ww = k[(1, kw, r)].reshape(kw, r)
        kr = np.einsum("cr,ir,jr->cijr", b, hh, ww).reshape(-1, r)
        _, _, (b_np, h_np, w_np) = cp_reference(w_white, r, factors=True)
        b_np = np.linalg.solve(lower.T, b_np)
        kr_np = np.einsum("cr,ir,jr->cijr", b_np, h_np, w_np).reshape(-1, r)
        input_gap = same_span(kr, kr_np)
        a = np.linalg.solve(kr.T @ hd @ kr, (w0 @ hd @ kr).T).T
        want = (a @ kr.T).reshape(w.shape)
    else:
        r1, r2 = rec["ranks"]
        if name == "nchw":
            v = k[(r1, c, 1, 1)].reshape(r1, c)
        else:
            v = k[(1, 1, c, r1)].reshape(c, r1).T
        v_np = tucker2_reference(w_white, r1, r2, factors=True)[2]
        input_gap = same_span(v.T, np.linalg.solve(lower.T, v_np))
        p = np.einsum("rc,st->csrt", v, np.eye(taps)).reshape(c * taps,
                                                              r1 * taps)
        s = p.T @ hd @ p
        m = np.linalg.solve(s, (w0 @ hd @ p).T).T
        u = np.linalg.eigh(m @ s @ m.T)[1][:, ::-1][:, :r2]
        want = (u @ u.T @ m @ p.T).reshape(w.shape)
    print("%s input side %s" % (name, "matches" if input_gap <= 1e-3 else
                                "BAD %g" % input_gap))
    got = rebuilt(method, path, name, rec["ranks"])
    diff = np.linalg.norm(got - want) / np.linalg.norm(w)
    print("%s whitened %s" % (name, "matches" if diff <= 1e-4 else
                              "BAD %g" % diff))
    error = output_error(w, want, h)
    recorded = float(rec["output_error"])
    print("%s output error %s" % (name, "matches" if abs(recorded - error)
                                  <= 1e-5 else "BAD %g %g" % (recorded,
                                                              error)))
    plain_rec = records(plain_path)[list(LAYERS).index(name)]
    plain = output_error(w, rebuilt(method, plain_path, name,
                                    plain_rec["ranks"]), h)
    print("%s whitened %s" % (name, "better" if error < plain else
                              "BAD %g >= %g" % (error, plain)))


def recovers(path, limit):
    """Prints "<layer> recovers" for each layer whose recorded weight error
    is at most `limit` (cp at rank 4 of a CP-rank-4 kernel plus 1% noise
    should find it to about the noise)."""
    for name, rec in zip(LAYERS, records(path)):
        error = float(rec["weight_error"])
        print("%s %s" % (name, "recovers" if error <= float(limit) else
                         "BAD %g" % error))


def ranks(*paths):
    errors = [[float(r["weight_error"]) for r in records(p)] for p in paths]
    ok = all(len(e) == len(LAYERS) for e in errors) and all(
        a[i] > b[i] for a, b in zip(errors, errors[1:]) for i in range(len(a)))
    print("error " + ("decreases" if ok else "BAD %s" % errors))


def tolerance(method, path, tol):
    w = kernels(method)
    recs = records(path)
    ok = len(recs) == len(LAYERS)
    if method == "cp":
        for i, name in enumerate(LAYERS):
            (r,) = recs[i]["ranks"]
            ok = ok and cp_reference(w[name], r)[1] <= float(tol) and (
                r == 1 or cp_reference(w[name], r - 1)[1] > float(tol))
        print("tolerance ranks " + ("match" if ok else "BAD"))
        return
    for i, (name, (f, c, kh, kw, s, n, o)) in enumerate(LAYERS.items()):
        w3 = w[name].astype(np.float64).reshape(f, c, -1)
        total = np.sum(w3 ** 2)
        out_e = np.sort(np.linalg.eigvalsh(
            np.einsum("fcs,gcs->fg", w3, w3)))[::-1].clip(0)
        in_e = np.sort(np.linalg.eigvalsh(
            np.einsum("fcs,fds->cd", w3, w3)))[::-1].clip(0)
        first = n - 2 * PAD[name]  # where the first 1x1 factor runs
        best = None
        for r1 in range(1, c + 1):
            for r2 in range(1, f + 1):
                bound = np.sqrt(min(1.0, (out_e[r2:].sum() + in_e[r1:].sum())
                                    / total))
                if bound > float(tol):
                    continue
                flops = (first * first * c * r1 + o * o * r1 * r2 * kh * kw
                         + o * o * r2 * f)
                if best is None or flops < best[0]:
                    best = (flops, (r1, r2))
        ok = ok and best is not None and recs[i]["ranks"] == best[1]
    print("tolerance ranks " + ("match" if ok else "BAD"))


if __name__ == "__main__":
    cmd, rest = sys.argv[1], sys.argv[2:]
    {"make": make, "full": full, "check": check, "output": output,
     "whitened": whitened, "recovers": recovers, "ranks": ranks,
     "tolerance": tolerance}[cmd](*rest)
