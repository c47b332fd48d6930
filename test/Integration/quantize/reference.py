#!/usr/bin/python3
"""Independent numpy reference of `compress-opt --compress-quantize`.

Usage:
    reference.py MODEL.mlir FUNC --options 'OPTIONS' --input A.npy ...
                 --output Y.npy [--require-ties] [--require-clamped]
                 [--same-as-float] [--bf16-dot]

Recomputes what function FUNC of MODEL.mlir returns once it has been
quantized with `--compress-quantize='OPTIONS'` and compares it with Y.npy
(what `compress-run` wrote for the same inputs).  Nothing comes from the
compiler: the function body is read from the source model and evaluated here,
and the quantization follows the contract of the pass (Passes.td) and of
#compress.quant (CompressAttrs.td):

  weights   one parameter set per tensor, per output channel (the last weight
            dimension that indexes the output) or per group (group-size
            consecutive elements, in row-major order, of a channel's slice
            with the channel dimension removed).  lo = min(0, min w),
            hi = max(0, max w).  Symmetric: scale = max(-lo, hi) / qmax,
            zero point 0 (scale 1 if all zero).  Asymmetric:
            scale = (hi - lo) / (qmax - qmin),
            zp = clamp(qmin - roundeven(lo / scale), qmin, qmax).
            Per-channel and per-group scales are rounded to the nearest f16
            when that is a normal f16.
            q = clamp(roundeven(w / scale) + zp, qmin, qmax), value
            (q - zp) * scale.  log2: scale = max |w|; code 0 is 0, otherwise
            e = roundeven(log2(scale / |w|)), code 0 if e > qmax - 1, else
            sign(w) * (max(e, 0) + 1); value sign * scale * 2^-(|code| - 1).
  static    (ops whose every output channel indexes the activation, i.e.
            depthwise convolutions, and convolutions over one input channel
            are quantized weight-only instead, with symmetric weights)
            the activation (first input) is quantized to i8 per tensor with
            the calibrated range [lo, hi] of key <func>/<ordinal>, extended
            to include 0.  Symmetric: scale = max(-lo, hi) / 127, zp = 0;
            asymmetric: scale = (hi - lo) / 255,
            zp = clamp(-128 - roundeven(lo / scale), -128, 127).  Weights:
            symmetric `bits`-bit (8 or 4) per channel, per tensor or per
            group, chosen as above.
            The op becomes
            acc = sum xq * wq (exact integers), and
            y = init + f32(acc - zp * sum_k wq) * f32(s_x * s_w[c]).
            Per group: y = init + s_x * sum_k (xq - zp) * wq * s_w[g, c]
            (an integer sum per group, scaled per group; checked with the
            weight-only tolerance).
  float-type  weights rounded to fp16 or bf16 (to nearest even).  With
            --bf16-dot (a CPU with AVX512_BF16) a bf16 matmul or
            convolution whose activation's innermost dimension is reduced
            and whose weight serves every output row (not batch_matmul or
            depthwise) also rounds the activation to bf16 (vdpbf16ps).
  dynamic   the same with the range of the whole activation tensor computed
            at run time in f32, and the epilogue scale f32(s_w[c]) * s_x in
            f32.

Weight computations happen in float64 (as the pass does at compile time);
the run-time parts are reproduced in float32 where the rounding matters:
dequantized weights are f32(q - zp) * f32(scale), activation codes are
roundeven(f32(x / f32(scale))), and the integer epilogue is evaluated with
the same f32 operations as the kernel.

Tolerances:
  weight-only, float-type and per-group static/dynamic: the kernel
      accumulates in f32 in its own order, the reference in float64:
      |y - ref| <= 1e-5 * max|ref| + 1e-6.
  static and dynamic per tensor or channel: the integer part is exact, so
      only the f32 rounding of the epilogue is allowed:
      |y - ref| <= 1e-6 * (|init| + |term|) per element,
      term = f32(acc - zp * sum_k wq) * scale.
A check also fails when the unquantized (float) function is within ten
tolerances of the expected result everywhere: the test could not tell a
quantized kernel from a float one.  Ops may be chained when all but the last
one run as integer kernels (their f32 results are reproduced exactly, so the
next op's activation codes are too).

--require-ties fails unless some activation is exactly halfway between two
codes (so roundeven is exercised); --require-clamped fails unless some
activation code is clamped to [-128, 127]; --same-as-float skips the
discrimination check, for inputs (such as all-zero activations) where the
quantized function computes exactly the float result.

Supported MLIR (one statement per `%v = ...` or `return`, possibly spread over
several lines): func.func with tensor arguments; arith.constant (dense f32
tensors, f32 and index scalars); tensor.dim; tensor.empty; linalg.fill;
linalg.matmul, linalg.batch_matmul, linalg.conv_2d_nchw_fchw,
linalg.conv_2d_nhwc_hwcf, linalg.conv_2d_nhwc_fhwc and
linalg.depthwise_conv_2d_nhwc_hwc with optional strides and dilations,
linalg.matmul with indexing_maps (any contraction of plain loop indices);
return of one value.

`reference.py --self-test` checks these formulas on examples worked out by
hand.

Exit status: 0 match, 1 mismatch or test not discriminating, 2 bad input.
"""

import argparse
import json
import re
import sys

import numpy as np


class BadInput(Exception):
    pass


# ----------------------------------------------------------------------------
# Options of --compress-quantize (defaults from Passes.td)
# ----------------------------------------------------------------------------

DEFAULTS = {
    "bits": "8",
    "granularity": "per-channel",
    "group-size": "0",
    "symmetric": "true",
    "scheme": "uniform",
    "mode": "weight-only",
    "calibration": "",
    "calibration-method": "minmax",
    "float-type": "",
}


class Options:
    def __init__(self, text):
        values = dict(DEFAULTS)
        for item in text.split():
            key, sep, value = item.partition("=")
            if not sep or key not in DEFAULTS:
                raise BadInput(f"unknown option '{item}'")
            values[key] = value
        self.bits = int(values["bits"])
        self.granularity = values["granularity"]
        self.group_size = int(values["group-size"]) or 32
        self.symmetric = {"true": True, "false": False}[values["symmetric"]]
        self.scheme = values["scheme"]
        self.mode = values["mode"]
        self.calibration = values["calibration"]
        self.method = values["calibration-method"]
        self.float_type = values["float-type"]
        self.bf16_dot = False  # set from --bf16-dot
        if self.bits not in (4, 8):
            raise BadInput(f"bits must be 4 or 8, got {self.bits}")
        if self.granularity not in ("per-tensor", "per-channel", "per-group"):
            raise BadInput(f"unknown granularity '{self.granularity}'")
        if self.scheme not in ("uniform", "log2"):
            raise BadInput(f"unknown scheme '{self.scheme}'")
        if self.mode not in ("weight-only", "static", "dynamic"):
            raise BadInput(f"unknown mode '{self.mode}'")
        if self.float_type not in ("", "fp16", "bf16"):
            raise BadInput(f"unknown float-type '{self.float_type}'")

    @property
    def integer_kernel(self):
        return self.mode != "weight-only" and not self.float_type


# ----------------------------------------------------------------------------
# Rounding helpers
# ----------------------------------------------------------------------------

def roundeven(x):
    """Round half to even (np.rint in the default rounding mode)."""
    return np.rint(x)


def to_bf16(x):
    """float32 -> nearest bfloat16 (ties to even), returned as float32."""
    bits = np.asarray(x, dtype=np.float32).view(np.uint32).astype(np.uint64)
    bits = (bits + 0x7FFF + ((bits >> 16) & 1)) & 0xFFFF0000
    return bits.astype(np.uint32).view(np.float32)


def f16_scale(scale):
    """A per-channel or per-group scale rounded to the nearest f16, if that
    is a normal f16 number (else unchanged)."""
    half = np.float16(scale)
    if np.isfinite(half) and abs(float(half)) >= 2.0 ** -14:
        return float(half)
    return scale


# ----------------------------------------------------------------------------
# Parameter choice and weight codes
# ----------------------------------------------------------------------------

# Granularities whose weight scales are rounded to f16 (when the result is a
# normal f16 number) before the codes are computed, so that the lowering can
# store them in half precision exactly.
F16_SCALES = ("per-channel", "per-group")


def uniform_params(lo, hi, qmin, qmax, symmetric):
    """Scale and zero point of the range [lo, hi] extended to include 0."""
    lo = min(lo, 0.0)
    hi = max(hi, 0.0)
    if symmetric:
        amax = max(-lo, hi)
        return (amax / qmax if amax > 0 else 1.0), 0
    scale = (hi - lo) / (qmax - qmin)
    if not scale > 0:
        return 1.0, 0
    zp = qmin - int(roundeven(lo / scale))
    return scale, int(np.clip(zp, qmin, qmax))


class WeightSpec:
    """The parameters of a quantized weight: `scale` and `zp` have the
    weight's shape, each element carrying those of its parameter set."""

    def __init__(self, w, axis, granularity, group_size, bits, symmetric,
                 log2):
        w = np.asarray(w, dtype=np.float64)
        self.qmax = 2 ** (bits - 1) - 1
        self.qmin = -(2 ** (bits - 1))
        self.log2 = log2
        if granularity == "per-tensor":
            sets = w.reshape(1, -1)
        else:
            # [channel, slice] with the slice in row-major order.
            channels = w.shape[axis]
            slices = np.moveaxis(w, axis, 0).reshape(channels, -1)
            if granularity == "per-group":
                if slices.shape[1] % group_size:
                    raise BadInput(f"group size {group_size} does not divide "
                                   f"the slice size {slices.shape[1]}")
                sets = slices.reshape(-1, group_size)
            else:
                sets = slices
        scales, zps = [], []
        for values in sets:
            lo, hi = min(0.0, values.min()), max(0.0, values.max())
            if log2:
                amax = max(-lo, hi)
                scale, zp = (amax if amax > 0 else 1.0), 0
            else:
                scale, zp = uniform_params(lo, hi, self.qmin, self.qmax,
                                           symmetric)
            if granularity in F16_SCALES:
                scale = f16_scale(scale)
            scales.append(scale)
            zps.append(zp)
        per_set = sets.shape[1]
        scale = np.repeat(np.array(scales), per_set).reshape(sets.shape)
        zp = np.repeat(np.array(zps, dtype=np.int64), per_set)
        zp = zp.reshape(sets.shape)
        self.scale = self._back(scale, w.shape, axis, granularity)
        self.zp = self._back(zp, w.shape, axis, granularity)

    @staticmethod
    def _back(a, shape, axis, granularity):
        """Undoes the [set, element] layout of __init__."""
        if granularity == "per-tensor":
            return a.reshape(shape)
        moved = (shape[axis],) + shape[:axis] + shape[axis + 1:]
        return np.moveaxis(a.reshape(moved), 0, axis)

    def quantize(self, w):
        w = np.asarray(w, dtype=np.float64)
        if self.log2:
            with np.errstate(divide="ignore"):
                e = roundeven(np.log2(self.scale / np.abs(w)))
            code = np.maximum(e, 0) + 1
            code = np.where((w == 0) | (e > self.qmax - 1), 0, code)
            return (np.sign(w) * code).astype(np.int64)
        q = roundeven(w / self.scale) + self.zp
        return np.clip(q, self.qmin, self.qmax).astype(np.int64)

    def dequantize(self, q):
        """The f32 weight values the kernel decodes from the codes."""
        scale = self.scale.astype(np.float32)
        if self.log2:
            power = np.ldexp(np.float32(1), -(np.abs(q) - 1).astype(np.int32))
            value = power.astype(np.float32) * scale
            return np.where(q == 0, np.float32(0),
                            np.where(q < 0, -value, value))
        return (q - self.zp).astype(np.float32) * scale


# ----------------------------------------------------------------------------
# The compressible ops: weight channel axis, output channel dim, and the
# computation itself (exact for int64 operands, float64 otherwise)
# ----------------------------------------------------------------------------

def window(x, dims, k, size, stride, dilation):
    """x sliced along `dims` (two spatial dims) at kernel offset k."""
    index = [slice(None)] * x.ndim
    for d, kk, n, s, dl in zip(dims, k, size, stride, dilation):
        start = kk * dl
        index[d] = slice(start, start + (n - 1) * s + 1, s)
    return x[tuple(index)]


def conv(x, w, out_shape, spatial_x, spatial_w, spatial_y, strides,
         dilations, contract):
    """Sum over the kernel window of contract(x_window, w_at_offset)."""
    size = [out_shape[d] for d in spatial_y]
    kernel = [w.shape[d] for d in spatial_w]
    y = 0
    for kh in range(kernel[0]):
        for kw in range(kernel[1]):
            xs = window(x, spatial_x, (kh, kw), size, strides, dilations)
            index = [slice(None)] * w.ndim
            index[spatial_w[0]], index[spatial_w[1]] = kh, kw
            y = y + contract(xs, w[tuple(index)])
    return y


def NO_WINDOW(x):
    """The channel rule of convolutions does not apply (no window)."""
    return 2


class OpKind:
    def __init__(self, channel_axis, out_channel_dim, compute, dot=True,
                 reuse=True, channels=lambda x: x.shape[-1]):
        # Weight dimension that indexes the output channel (the last
        # parallel one), and the output dimension it maps to.
        self.channel_axis = channel_axis
        self.out_channel_dim = out_channel_dim
        self.compute = compute
        # Whether the op is a packed dot product (--bf16-dot): the
        # activation's innermost dimension is reduced and one weight serves
        # every row of the output.
        self.dot = dot
        # Whether an output channel of the weight does not index the
        # activation (each activation element meets several weights);
        # without, mode=static|dynamic quantizes the weight only.
        self.reuse = reuse
        # The number of reduced input channels of a convolution for an
        # activation x; with one, mode=static|dynamic quantizes the weight
        # only.
        self.channels = channels


def _matmul(x, w, out_shape, strides, dilations):
    return np.einsum("mk,kn->mn", x, w)


def _batch_matmul(x, w, out_shape, strides, dilations):
    return np.einsum("bmk,bkn->bmn", x, w)


def _nchw_fchw(x, w, out_shape, strides, dilations):
    return conv(x, w, out_shape, (2, 3), (2, 3), (2, 3), strides, dilations,
                lambda xs, wk: np.einsum("nchw,fc->nfhw", xs, wk))


def _nhwc_hwcf(x, w, out_shape, strides, dilations):
    return conv(x, w, out_shape, (1, 2), (0, 1), (1, 2), strides, dilations,
                lambda xs, wk: np.einsum("nhwc,cf->nhwf", xs, wk))


def _nhwc_fhwc(x, w, out_shape, strides, dilations):
    return conv(x, w, out_shape, (1, 2), (1, 2), (1, 2), strides, dilations,
                lambda xs, wk: np.einsum("nhwc,fc->nhwf", xs, wk))


def _depthwise_nhwc_hwc(x, w, out_shape, strides, dilations):
    return conv(x, w, out_shape, (1, 2), (0, 1), (1, 2), strides, dilations,
                lambda xs, wk: xs * wk)


OPS = {
    # y[m, n] = sum_k x[m, k] w[k, n]
    "linalg.matmul": OpKind(1, 1, _matmul, channels=NO_WINDOW),
    # y[b, m, n] = sum_k x[b, m, k] w[b, k, n]: B and N index the output;
    # N is the last one.
    "linalg.batch_matmul": OpKind(2, 2, _batch_matmul, dot=False,
                                  channels=NO_WINDOW),
    # y[n, f, oh, ow] = sum_{c, kh, kw} x[n, c, ., .] w[f, c, kh, kw]
    "linalg.conv_2d_nchw_fchw": OpKind(0, 1, _nchw_fchw,
                                       channels=lambda x: x.shape[1]),
    # y[n, oh, ow, f] = sum_{kh, kw, c} x[n, ., ., c] w[kh, kw, c, f]
    "linalg.conv_2d_nhwc_hwcf": OpKind(3, 3, _nhwc_hwcf),
    # y[n, oh, ow, f] = sum_{kh, kw, c} x[n, ., ., c] w[f, kh, kw, c]
    "linalg.conv_2d_nhwc_fhwc": OpKind(0, 3, _nhwc_fhwc),
    # y[n, oh, ow, c] = sum_{kh, kw} x[n, ., ., c] w[kh, kw, c]
    "linalg.depthwise_conv_2d_nhwc_hwc": OpKind(2, 3, _depthwise_nhwc_hwc,
                                                 dot=False, reuse=False),
}


def contraction_kind(maps):
    """OpKind of a contraction given by explicit indexing maps (as in
    `linalg.matmul indexing_maps = [...]`): each map a list of loop names."""
    x_map, w_map, y_map = maps
    loops = sorted(set(x_map + w_map + y_map))
    letters = dict(zip(loops, "abcdefghijklmnopqrstuvwxyz"))
    spec = ",".join("".join(letters[d] for d in m) for m in (x_map, w_map))
    spec += "->" + "".join(letters[d] for d in y_map)
    # The output channel: the last weight dimension whose loop is parallel.
    parallel = [i for i, d in enumerate(w_map) if d in y_map]
    if not parallel:
        raise BadInput("the weight has no output channel")
    axis = parallel[-1]
    dot = (x_map[-1] not in y_map and len(parallel) == 1 and
           w_map[axis] == y_map[-1])
    reuse = any(w_map[i] not in x_map for i in parallel)
    return OpKind(axis, y_map.index(w_map[axis]),
                  lambda x, w, out_shape, strides, dilations:
                  np.einsum(spec, x, w), dot, reuse, NO_WINDOW)


def broadcast_channel(values, kind, out_ndim):
    """Per-channel `values` shaped to broadcast against the output."""
    shape = [1] * out_ndim
    shape[kind.out_channel_dim] = -1
    return np.asarray(values).reshape(shape)


# ----------------------------------------------------------------------------
# A small MLIR reader for the test models
# ----------------------------------------------------------------------------

def parse_type(text):
    m = re.fullmatch(r"\s*tensor<((?:[0-9?]+x)*)(\w+)>\s*", text)
    if m:
        dims = [None if d == "?" else int(d)
                for d in m.group(1).split("x")[:-1]]
        return ("tensor", dims, m.group(2))
    return ("scalar", None, text.strip())


def parse_dense(text, shape):
    """dense<...> contents (nested list or splat) as a float32 array."""
    numbers = re.findall(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?", text)
    values = np.array([float(n) for n in numbers], dtype=np.float64)
    count = int(np.prod(shape))
    if values.size == 1:
        values = np.full(count, values[0])
    if values.size != count:
        raise BadInput(f"dense literal has {values.size} values, the type "
                       f"{shape} needs {count}")
    # Decimal -> double -> float, as the MLIR parser does.
    return values.astype(np.float32).reshape(shape)


def parse_int_attr(attrs, name, default):
    m = re.search(name + r"\s*=\s*dense<([^>]*)>", attrs)
    if not m:
        return default
    values = [int(v) for v in re.findall(r"-?\d+", m.group(1))]
    return values * 2 if len(values) == 1 else values


def read_function(path, name):
    """Argument names and statements of `func.func @name`."""
    try:
        with open(path) as f:
            lines = f.read().splitlines()
    except OSError as e:
        raise BadInput(f"cannot read {path}: {e}")
    header = re.compile(r"\s*func\.func\s+@" + re.escape(name) + r"\(")
    start = next((i for i, l in enumerate(lines) if header.match(l)), None)
    if start is None:
        raise BadInput(f"no function @{name} in {path}")
    text = ""
    i = start
    while "{" not in text:
        text += lines[i].split("//")[0] + " "
        i += 1
    args = re.findall(r"(%\w+)\s*:\s*(tensor<[^>]*>)",
                      text[:text.index(")")])
    statements = []
    while i < len(lines) and lines[i].strip() != "}":
        line = lines[i].split("//")[0].strip()
        i += 1
        if not line:
            continue
        if re.match(r"%\w+\s*=|return\b", line):
            statements.append(line)
        elif statements:
            statements[-1] += " " + line
        else:
            raise BadInput(f"cannot read statement: {line}")
    if i == len(lines):
        raise BadInput(f"@{name} has no closing brace on a line of its own")
    return [a for a, _ in args], [parse_type(t) for _, t in args], statements


# ----------------------------------------------------------------------------
# Evaluation
# ----------------------------------------------------------------------------

class Stats:
    def __init__(self):
        self.ties = 0
        self.clamped = 0
        self.codes = 0


def quantize_activation(x, scale, zp, stats):
    """i8 codes of f32 `x` with an f32 `scale`: the division is in f32."""
    ratio = (x.astype(np.float32) / np.float32(scale)).astype(np.float32)
    q = roundeven(ratio) + zp
    stats.ties += int(np.count_nonzero(ratio - np.floor(ratio) == 0.5))
    stats.clamped += int(np.count_nonzero((q < -128) | (q > 127)))
    stats.codes += q.size
    return np.clip(q, -128, 127).astype(np.int64)


def run_float(kind, x, w, init, strides, dilations):
    """The unquantized op in float64."""
    y = init.astype(np.float64) + kind.compute(
        x.astype(np.float64), w.astype(np.float64), init.shape, strides,
        dilations)
    if y.shape != init.shape:
        raise BadInput(f"computed shape {list(y.shape)}, the output is "
                       f"{list(init.shape)}")
    return y


def run_quantized(kind, x, w, init, strides, dilations, opts, key, ranges,
                  stats):
    """One op as --compress-quantize compiles it.

    Returns (expected, tolerance, exact): the expected result, the allowed
    error per element, and whether the expected result is the one the kernel
    computes up to f32 rounding of the epilogue (integer kernels) rather
    than a float64 approximation of an f32 accumulation (weight-only).
    """
    out_shape = init.shape
    compute = kind.compute

    # Ops without reuse of the activation (depthwise) and convolutions over
    # one input channel stay weight-only in mode=static|dynamic, with
    # symmetric weights.
    if not opts.integer_kernel or not kind.reuse or kind.channels(x) < 2:
        if opts.float_type == "fp16":
            wd = w.astype(np.float16).astype(np.float32)
        elif opts.float_type == "bf16":
            wd = to_bf16(w)
            if opts.bf16_dot and kind.dot:
                x = to_bf16(x)
        else:
            spec = WeightSpec(w, kind.channel_axis, opts.granularity,
                              opts.group_size, opts.bits,
                              opts.symmetric or opts.integer_kernel,
                              opts.scheme == "log2")
            wd = spec.dequantize(spec.quantize(w))
        y = run_float(kind, x, wd, init, strides, dilations)
        tol = np.full(y.shape, 1e-5 * np.abs(y).max(initial=0) + 1e-6)
        return y, tol, False

    # Integer kernel: symmetric 8- or 4-bit weights per channel, per tensor
    # or per group.
    spec = WeightSpec(w, kind.channel_axis, opts.granularity,
                      opts.group_size, opts.bits, True, False)
    wq = spec.quantize(w)
    # The weight scales (float64), shaped to broadcast against the output.
    if opts.granularity == "per-tensor":
        w_scale = np.float64(spec.scale.flat[0])
    else:
        index = [0] * w.ndim
        index[kind.channel_axis] = slice(None)
        w_scale = broadcast_channel(spec.scale[tuple(index)], kind,
                                    len(out_shape))
    f32 = np.float32
    if opts.mode == "static":
        if key not in ranges:
            raise BadInput(f"the calibration file has no range for {key}")
        lo, hi = ranges[key]
        s_x, zp = uniform_params(lo, hi, -128, 127, opts.symmetric)
        # The activation codes use the f32 scale; the epilogue scale is
        # the product computed in double, rounded to f32.
        s_x32 = f32(s_x)
        scale = (w_scale * s_x).astype(np.float32)
    else:
        # The run-time range and parameters, in f32.
        lo = min(f32(0), x.min(initial=0))
        hi = max(f32(0), x.max(initial=0))
        if opts.symmetric:
            s_x32 = f32(max(-lo, hi) / f32(127))
        else:
            s_x32 = f32(f32(hi - lo) / f32(255))
        if s_x32 == 0:
            s_x32 = f32(1)
        zp = 0
        if not opts.symmetric:
            zp = int(np.clip(-128 - roundeven(f32(lo / s_x32)), -128, 127))
        scale = (w_scale.astype(np.float32) * s_x32).astype(np.float32)
    xq = quantize_activation(x, s_x32, zp, stats)
    if opts.granularity == "per-group":
        # Exact integer sums per group, scaled per group and summed in f32
        # in the kernel's order: float64 here, with the weight-only
        # tolerance.
        term = compute((xq - zp).astype(np.float64),
                       wq * spec.scale.astype(np.float64), out_shape,
                       strides, dilations) * np.float64(s_x32)
        y = init.astype(np.float64) + term
        tol = np.full(y.shape, 1e-5 * np.abs(y).max(initial=0) + 1e-6)
        return y, tol, False
    acc = compute(xq, wq, out_shape, strides, dilations)
    # acc - zp * sum_k wq, written as sum_k (xq - zp) wq.
    centered = compute(xq - zp, wq, out_shape, strides, dilations)
    if max(np.abs(acc).max(initial=0),
           np.abs(centered).max(initial=0)) >= 2 ** 31:
        raise BadInput(f"{key}: the i32 accumulator would overflow")
    term = centered.astype(np.float32) * scale
    y = (init.astype(np.float32) + term).astype(np.float32)
    tol = 1e-6 * (np.abs(init.astype(np.float64)) +
                  np.abs(term.astype(np.float64)))
    return y, tol, True


class Value:
    """An SSA value: what the quantized function computes, what the float
    function computes, and (for op results) the tolerance of the former.
    `exact` is False for weight-only results, which are float64
    approximations of an f32 accumulation and may not feed another op."""

    def __init__(self, value, float_value=None, tol=None, exact=True):
        self.value = value
        self.float_value = value if float_value is None else float_value
        self.tol = tol
        self.exact = exact


def evaluate(path, name, inputs, opts, ranges, stats):
    """Evaluates @name; returns the Value it returns."""
    arg_names, arg_types, statements = read_function(path, name)
    if len(inputs) != len(arg_names):
        raise BadInput(f"@{name} takes {len(arg_names)} arguments, "
                       f"{len(inputs)} inputs given")
    env = {}
    for n, t, value in zip(arg_names, arg_types, inputs):
        dims = t[1]
        if value.ndim != len(dims) or any(
                d is not None and d != s for d, s in zip(dims, value.shape)):
            raise BadInput(f"input for {n} has shape {list(value.shape)}, "
                           f"the argument is {dims}")
        env[n] = Value(value.astype(np.float32))
    ordinal = 0

    def get(n):
        if n not in env:
            raise BadInput(f"@{name}: unknown value {n}")
        if not env[n].exact:
            raise BadInput(f"@{name}: {n} is a weight-only result; only the "
                           f"returned value may be one")
        return env[n]

    for s in statements:
        m = re.match(r"return\s+(%\w+)\s*:", s)
        if m:
            if m.group(1) not in env or env[m.group(1)].tol is None:
                raise BadInput(f"@{name} must return the result of an op")
            return env[m.group(1)]
        m = re.match(r"(%\w+)\s*=\s*([\w.]+)\s*(.*)$", s)
        if not m:
            raise BadInput(f"cannot read statement: {s}")
        result, op, rest = m.groups()
        if op == "arith.constant":
            cm = re.match(r"dense<(.*)>\s*:\s*(tensor<.*>)$", rest)
            sm = re.match(r"(\S+)\s*:\s*(f32|index)$", rest)
            if cm:
                v = parse_dense(cm.group(1), parse_type(cm.group(2))[1])
            elif sm and sm.group(2) == "index":
                v = int(sm.group(1))
            elif sm:
                v = np.float32(float(sm.group(1)))
            else:
                raise BadInput(f"cannot read constant: {rest}")
            env[result] = Value(v)
        elif op == "tensor.dim":
            dm = re.match(r"(%\w+)\s*,\s*(%\w+)", rest)
            env[result] = Value(
                get(dm.group(1)).value.shape[get(dm.group(2)).value])
        elif op == "tensor.empty":
            em = re.match(r"\(([^)]*)\)\s*:\s*(.+)$", rest)
            sizes = iter([get(n.strip()).value
                          for n in em.group(1).split(",") if n.strip()])
            dims = parse_type(em.group(2))[1]
            env[result] = Value(np.zeros(
                [next(sizes) if d is None else d for d in dims],
                dtype=np.float32))
        elif op == "linalg.fill":
            fm = re.match(r"ins\((%\w+).*outs\((%\w+)", rest)
            env[result] = Value(np.full(get(fm.group(2)).value.shape,
                                        get(fm.group(1)).value,
                                        dtype=np.float32))
        elif op in OPS:
            lm = re.search(r"ins\((%\w+),\s*(%\w+)\s*:.*outs\((%\w+)", rest)
            if not lm:
                raise BadInput(f"cannot read {op}: {rest}")
            attrs = rest[:lm.start()]
            strides = parse_int_attr(attrs, "strides", [1, 1])
            dilations = parse_int_attr(attrs, "dilations", [1, 1])
            kind = OPS[op]
            maps = re.findall(r"affine_map<\([^)]*\)\s*->\s*\(([^)]*)\)>",
                              attrs)
            if maps:
                kind = contraction_kind([[d.strip() for d in m.split(",")]
                                         for m in maps])
            x, w, init = (get(lm.group(i)) for i in (1, 2, 3))
            key = f"{name}/{ordinal}"
            ordinal += 1
            y, tol, exact = run_quantized(kind, x.value, w.value, init.value,
                                          strides, dilations, opts, key,
                                          ranges, stats)
            y_float = run_float(kind, x.float_value, w.value,
                                init.float_value, strides, dilations)
            env[result] = Value(y, y_float, tol, exact)
        else:
            raise BadInput(f"@{name}: unsupported op {op}")
    raise BadInput(f"@{name} has no return")


def load_ranges(opts):
    if opts.mode != "static":
        return {}
    try:
        with open(opts.calibration) as f:
            data = json.load(f)
        return {key: tuple(float(v) for v in entry["ranges"][opts.method])
                for key, entry in data["tensors"].items()}
    except (OSError, ValueError, KeyError, TypeError) as e:
        raise BadInput(f"cannot read calibration file {opts.calibration}: "
                       f"{e}")


def load(path):
    try:
        return np.load(path, allow_pickle=False)
    except Exception as e:
        raise BadInput(f"cannot read {path}: {e}")


def self_test():
    """Checks the formulas above on examples worked out by hand."""
    def check(what, got, expected):
        if not np.array_equal(np.asarray(got), np.asarray(expected)):
            raise AssertionError(f"{what}: got {got}, expected {expected}")

    # 8-bit symmetric, per tensor: amax 1.27 -> scale 0.01; 0.5 and 1.5
    # steps round to even.
    w = np.array([1.27, -0.5, 0.005, 0.015])
    spec = WeightSpec(w, 0, "per-tensor", 0, 8, True, False)
    check("uniform codes", spec.quantize(w), [127, -50, 0, 2])
    # 4-bit asymmetric: [-1, 2] -> scale 3/15, zero point -8 - (-5) = -3.
    w = np.array([-1.0, 2.0, 0.4])
    spec = WeightSpec(w, 0, "per-tensor", 0, 4, False, False)
    check("asymmetric zero point", spec.zp, [-3, -3, -3])
    check("asymmetric codes", spec.quantize(w), [-8, 7, -1])
    # log2, 4 bits: scale 4; 1 = 4 * 2^-2 -> -(2 + 1); 0.3: log2(13.3) =
    # 3.74 -> 4 -> 5; 0.01: log2(400) = 8.6 -> 9 > 6 -> 0; 5: e < 0 -> 1.
    w = np.array([4.0, -1.0, 0.3, 0.01, 0.0])
    spec = WeightSpec(w, 0, "per-tensor", 0, 4, True, True)
    check("log2 codes", spec.quantize(w), [1, -3, 5, 0, 0])
    check("log2 values", spec.dequantize(spec.quantize(w)),
          np.float32([4, -1, 0.25, 0, 0]))
    # Per channel (axis 1) and per group (2 along the slice).
    w = np.array([[1.0, 0.1], [-2.0, 0.2], [0.5, -0.4], [0.25, 0.8]])
    spec = WeightSpec(w, 1, "per-channel", 0, 8, True, False)
    check("per-channel scales", spec.scale[0],
          [f16_scale(2 / 127), f16_scale(0.8 / 127)])
    spec = WeightSpec(w, 1, "per-group", 2, 8, True, False)
    check("per-group scales", spec.scale[:, 0],
          [f16_scale(v / 127) for v in (2, 2, 0.5, 0.5)])
    check("f16 rounding", f16_scale(0.1), 0.0999755859375)
    check("f16 rounding (subnormal kept)", f16_scale(1e-6), 1e-6)
    check("bf16 ties to even", to_bf16([1 + 2 ** -8, 1 + 3 * 2 ** -8]),
          np.float32([1, 1 + 2 ** -6]))
    check("range params", uniform_params(-1, 2.984375, -128, 127, False),
          (1 / 64, -64))
    check("range params (all > 0)", uniform_params(0.5, 2, -8, 7, False),
          (2 / 15, -8))
    check("range params (zero)", uniform_params(0, 0, -128, 127, True),
          (1.0, 0))
    # A [2, 3] x [3, 2] convolution-free contraction through explicit maps:
    # B transposed, channel = weight dimension 0.
    kind = contraction_kind([["m", "k"], ["n", "k"], ["m", "n"]])
    check("transposed-B channel axis", kind.channel_axis, 0)
    check("transposed-B product",
          kind.compute(np.ones((2, 3)), np.arange(6).reshape(2, 3), None,
                       None, None), [[3, 12], [3, 12]])
    # Stride 2 NCHW convolution of a 1x1x5x5 ramp with a 1x1x3x3 ones
    # kernel: window sums at (0, 0), (0, 2), (2, 0), (2, 2).
    x = np.arange(25.0).reshape(1, 1, 5, 5)
    y = OPS["linalg.conv_2d_nchw_fchw"].compute(
        x, np.ones((1, 1, 3, 3)), (1, 1, 2, 2), [2, 2], [1, 1])
    check("strided convolution", y, [[[[54, 72], [144, 162]]]])
    print("self-test: ok")


def main(argv=None):
    if argv is None:
        argv = sys.argv[1:]
    if argv == ["--self-test"]:
        self_test()
        return 0
    ap = argparse.ArgumentParser(
        description="Check the output of a quantized function against an "
                    "independent numpy model of compress-quantize.")
    ap.add_argument("model", help="the MLIR source, before quantization")
    ap.add_argument("function", help="function name, without @")
    ap.add_argument("--options", required=True,
                    help="the --compress-quantize options")
    ap.add_argument("--input", action="append", default=[],
                    help=".npy file per function argument, in order")
    ap.add_argument("--output", required=True,
                    help=".npy file written by compress-run")
    ap.add_argument("--require-ties", action="store_true",
                    help="fail unless some activation is a rounding tie")
    ap.add_argument("--require-clamped", action="store_true",
                    help="fail unless some activation code is clamped")
    ap.add_argument("--same-as-float", action="store_true",
                    help="skip the check that the quantized result differs "
                         "from the float one (for inputs where it does not, "
                         "such as all-zero activations)")
    ap.add_argument("--bf16-dot", action="store_true",
                    help="the target computes float-type=bf16 matmuls and "
                         "convolutions with bf16 activations (AVX512_BF16)")
    args = ap.parse_args(argv)
    what = f"@{args.function} [{args.options}]"
    try:
        opts = Options(args.options)
        opts.bf16_dot = args.bf16_dot
        stats = Stats()
        inputs = [load(p) for p in args.input]
        result = evaluate(args.model, args.function, inputs, opts,
                          load_ranges(opts), stats)
        got = load(args.output)
    except BadInput as e:
        print(f"error: {what}: {e}", file=sys.stderr)
        return 2

    expected, tol = result.value, result.tol
    if got.shape != expected.shape or got.dtype != np.float32:
        print(f"FAIL: {what}: got {got.dtype} {list(got.shape)}, expected "
              f"float32 {list(expected.shape)}", file=sys.stderr)
        return 1
    failures = []
    err = np.abs(got.astype(np.float64) - expected.astype(np.float64))
    bad = ~(err <= tol)
    if bad.any():
        order = np.argsort(-(err - tol), axis=None)[:5]
        lines = [f"  at {list(np.unravel_index(i, err.shape))}: got "
                 f"{got.flat[i]!r}, expected {expected.flat[i]!r} "
                 f"(error {err.flat[i]:.3g}, tolerance {tol.flat[i]:.3g})"
                 for i in order if bad.flat[i]]
        failures.append(f"{int(bad.sum())} of {got.size} values differ from "
                        f"the reference:\n" + "\n".join(lines))
    margin = np.abs(result.float_value - expected.astype(np.float64)) / \
        np.maximum(tol, np.finfo(np.float32).tiny)
    if got.size and margin.max() < 10 and not args.same_as_float:
        failures.append("the unquantized function is within 10 tolerances "
                        "of the expected result: the test cannot tell a "
                        "quantized kernel from a float one")
    if args.require_ties and not stats.ties:
        failures.append("no activation is a rounding tie")
    if args.require_clamped and not stats.clamped:
        failures.append("no activation code is clamped")
    if failures:
        for f in failures:
            print(f"FAIL: {what}: {f}", file=sys.stderr)
        return 1
    extra = ""
    if stats.codes:
        extra = (f", activation codes: {stats.codes}, ties {stats.ties}, "
                 f"clamped {stats.clamped}")
    print(f"ok: {what}: {got.size} values, max error {err.max(initial=0):.3g}"
          f", float result off by {margin.max(initial=0):.3g} tolerances"
          f"{extra}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
