#!/usr/bin/python3
"""Models, inputs and checks of tucker2.mlir.

  tucker2.mlir.py make DIR
      writes DIR/model.mlir with @nchw (a zero pad of 1, then a 3x3
      convolution 8 -> 12 channels, NCHW) and @nhwc (a 3x3 convolution 6 ->
      10 channels with stride 2, NHWC), kernels of decaying mode spectra
      (seed 5), and their inputs DIR/x_nchw.npy, DIR/x_nhwc.npy
  tucker2.mlir.py full Y_DENSE Y_FACTORED
      prints "full rank matches" when the outputs agree to 1e-4 relative
  tucker2.mlir.py check FACTORED.mlir R1 R2 R1' R2'
      rebuilds each layer's kernel from its three factor constants (@nchw
      at ranks R1, R2, @nhwc at R1', R2') and compares it with an
      independent numpy Tucker-2 of the same algorithm (truncated HOSVD,
      then HOOI until a sweep gains under 1e-9 of ||W||^2, at most 20
      sweeps) to 1e-4 of ||W||, and the recorded weight error with numpy's;
      prints "<layer> matches" and "<layer> error matches"
  tucker2.mlir.py output FACTORED.mlir LAYER X Y
      prints "<layer> output matches" when Y (the factored layer's output,
      compiled and run) is numpy's convolution of X by the rebuilt kernel
      to 1e-4 relative
  tucker2.mlir.py ranks F1.mlir F2.mlir ...
      prints "error decreases" when the recorded errors fall with the ranks
  tucker2.mlir.py tolerance FACTORED.mlir TOL
      prints "tolerance ranks match" when each layer's ranks are the pair of
      fewest multiply-adds whose HOSVD error bound is at most TOL
"""
import os
import re
import sys

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
import checks  # noqa: E402

# name: (F, C, kh, kw, stride, padded input size, output size)
LAYERS = {"nchw": (12, 8, 3, 3, 1, 10, 8), "nhwc": (10, 6, 3, 3, 2, 11, 5)}
PAD = {"nchw": 1, "nhwc": 0}


def kernels():
    """F x C x kh x kw kernels whose output and input modes decay."""
    r = np.random.default_rng(5)
    out = {}
    for name, (f, c, kh, kw, _, _, _) in LAYERS.items():
        a, _ = np.linalg.qr(r.standard_normal((f, f)))
        b, _ = np.linalg.qr(r.standard_normal((c, c)))
        core = r.standard_normal((f, c, kh, kw))
        core *= (1.0 / (1 + np.arange(f)))[:, None, None, None]
        core *= (1.0 / (1 + np.arange(c)))[None, :, None, None]
        w = np.einsum("ocij,fo,dc->fdij", core, a, b)
        out[name] = (w + 0.01 * r.standard_normal(w.shape)).astype(np.float32)
    return out


def make(d):
    w = kernels()
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
    r = np.random.default_rng(11)
    c, n = LAYERS["nchw"][1], LAYERS["nchw"][5]
    np.save(os.path.join(d, "x_nchw.npy"),
            r.standard_normal((2, c, n - 2, n - 2)).astype(np.float32))
    c, n = LAYERS["nhwc"][1], LAYERS["nhwc"][5]
    np.save(os.path.join(d, "x_nhwc.npy"),
            r.standard_normal((3, n, n, c)).astype(np.float32))


def leading(m, rank):
    """The `rank` leading left singular vectors of m (eigenvectors of m
    m^T)."""
    vals, vecs = np.linalg.eigh(m @ m.T)
    return vecs[:, ::-1][:, :rank]


def reference(w, r1, r2, sweeps=20):
    """numpy's Tucker-2 (HOSVD, then HOOI) of the F x C x kh x kw `w`: the
    rebuilt kernel and its relative error."""
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
        nu = leading(np.einsum("fcs,ci->fis", w3, v).reshape(f, -1), r2)
        nv = leading(np.einsum("fcs,fo->cos", w3, nu).reshape(c, -1), r1)
        nfit = energy(nu, nv)
        if nfit < fit:
            break
        u, v = nu, nv
        if nfit - fit <= 1e-9 * total:
            break
        fit = nfit
    core = np.einsum("fcs,fo,ci->ois", w3, u, v)
    rebuilt = np.einsum("ois,fo,ci->fcs", core, u, v).reshape(w.shape)
    return rebuilt, np.sqrt(np.sum((w - rebuilt) ** 2) / total)


def records(path):
    """The compress.decomposed dictionaries of the first factors, in
    order (@nchw, then @nhwc)."""
    out = []
    for body in re.findall(r"compress.decomposed = \{([^}]*)\}",
                           open(path).read()):
        entry = dict(re.findall(r"(\w+) = ([^,]+?)(?: : \w+)?(?:,|$)", body))
        if entry.get("factor") == "1":
            ranks = re.search(r"ranks = array<i64: (\d+), (\d+)>", body)
            entry["ranks"] = (int(ranks.group(1)), int(ranks.group(2)))
            out.append(entry)
    return out


def rebuilt(path, name, r1, r2):
    """The kernel (F x C x kh x kw) the factors of layer `name` compute."""
    f, c, kh, kw = LAYERS[name][:4]
    k = checks.parse_constants(path)
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


def check(path, *ranks):
    w = kernels()
    recs = records(path)
    for i, name in enumerate(LAYERS):
        r1, r2 = int(ranks[2 * i]), int(ranks[2 * i + 1])
        want, error = reference(w[name], r1, r2)
        got = rebuilt(path, name, r1, r2)
        scale = np.linalg.norm(w[name])
        diff = np.linalg.norm(got - want) / scale
        print("%s %s" % (name, "matches" if diff <= 1e-4 else
                         "BAD %g" % diff))
        recorded = float(recs[i]["weight_error"])
        good = recs[i]["ranks"] == (r1, r2) and abs(recorded - error) <= 1e-5
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


def output(path, name, x_path, y_path):
    index = list(LAYERS).index(name)
    r1, r2 = records(path)[index]["ranks"]
    k = rebuilt(path, name, r1, r2)
    want = conv(np.load(x_path), k, LAYERS[name][4], PAD[name],
                name == "nhwc")
    got = np.load(y_path).astype(np.float64)
    ok = got.shape == want.shape and rel(got, want) <= 1e-4
    print("%s output %s" % (name, "matches" if ok else
                            "BAD %g" % rel(got, want)))


def ranks(*paths):
    errors = [[float(r["weight_error"]) for r in records(p)] for p in paths]
    ok = all(len(e) == len(LAYERS) for e in errors) and all(
        a[i] > b[i] for a, b in zip(errors, errors[1:]) for i in range(len(a)))
    print("error " + ("decreases" if ok else "BAD %s" % errors))


def tolerance(path, tol):
    w = kernels()
    recs = records(path)
    ok = len(recs) == len(LAYERS)
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
     "ranks": ranks, "tolerance": tolerance}[cmd](*rest)
