"""compress.compile / CompiledModel / evaluate: an ONNX model in, a
compressed compiled model out.

The compression passes run through compress-opt, in the order
fold-batchnorm -> decompose -> prune -> quantize. A technique that uses
calibration data gets a calibration of the model as it is just before its
pass (the calibration keys are the positions of the ops the pass sees):
the model is instrumented, compiled, and called once per batch of
`calibration_data` (streamed: one batch in memory at a time), and the
statistics are written for the pass.
"""

import json
import os
import shutil
import subprocess
import tempfile
import threading

import numpy as np

from . import runtime, tools
from .importer import ImportError_, import_onnx
from .importer.graph import load
from .importer.ir import Dim

# Rows per batch of calibration and evaluation data when the model's batch
# dimension is dynamic.
DYNAMIC_BATCH = 32


class CompressError(Exception):
    """A bad argument or a failed step of compile/evaluate, with what to
    change."""


# -- options ------------------------------------------------------------------------

def _options(value, what):
    """A dict or an option string 'k=v k=v' as a dict of strings."""
    if isinstance(value, dict):
        return {str(k): str(v).lower() if isinstance(v, bool) else str(v)
                for k, v in value.items()}
    if isinstance(value, str):
        out = {}
        for part in value.replace(",", " ").split():
            if "=" not in part:
                raise CompressError("%s: '%s' is not key=value" % (what, part))
            k, v = part.split("=", 1)
            out[k] = v
        return out
    raise CompressError("%s must be a string or a dict, got %r" % (what,
                                                                   value))


def quantize_options(value, calibrated):
    """compress-quantize options for `quantize` ('int8', 'int4', 'fp16',
    'bf16', 'log2', or options)."""
    presets = {"int8": {"bits": "8"}, "int4": {"bits": "4"},
               "fp16": {"float-type": "fp16"},
               "bf16": {"float-type": "bf16"},
               "log2": {"bits": "8", "scheme": "log2"}}
    if isinstance(value, str) and value in presets:
        opts = dict(presets[value])
        if value in ("int8", "int4"):
            # Integer kernels: calibrated ranges when there is data, ranges
            # measured at run time otherwise.
            opts["mode"] = "static" if calibrated else "dynamic"
    elif isinstance(value, str) and "=" not in value:
        raise CompressError("quantize=%r: expected int8, int4, fp16, bf16, "
                            "log2 or compress-quantize options such as "
                            "'bits=8 mode=static'" % value)
    else:
        opts = _options(value, "quantize")
    if opts.get("mode") == "static" and not calibrated:
        raise CompressError("quantize mode=static needs calibration_data")
    return opts


def prune_options(value, calibrated):
    """compress-prune options for `prune` (a sparsity in [0, 1), 'N:M', or
    options)."""
    if isinstance(value, bool):
        raise CompressError("prune=%r: expected a sparsity, 'N:M' or "
                            "options" % value)
    if isinstance(value, (int, float)):
        if not 0 <= value < 1:
            raise CompressError("prune=%g: the sparsity must be in [0, 1)"
                                % value)
        opts = {"sparsity": repr(float(value))}
    elif isinstance(value, str) and ":" in value and "=" not in value:
        try:
            n, m = (int(v) for v in value.split(":"))
        except ValueError:
            raise CompressError("prune=%r: expected N:M such as 2:4" % value)
        opts = {"structure": "n:m", "n": str(n), "m": str(m)}
    else:
        opts = _options(value, "prune")
    if calibrated and "method" not in opts:
        opts["method"] = "reconstruct"
    return opts


def decompose_options(value, calibrated):
    """compress-cp-decompose options ('tol=0.05', 'rank-ratio=0.5',
    'method=tucker2 rank=8', ...). With calibration data every method is
    data-aware."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        opts = {"tolerance": repr(float(value))}
    else:
        opts = _options(value, "decompose")
    if "tol" in opts:
        opts["tolerance"] = opts.pop("tol")
    return opts


def _spell(opts):
    return " ".join("%s=%s" % kv for kv in opts.items())


# -- calibration ---------------------------------------------------------------------

def _batches(data, rows):
    """The calibration batches as lists of arrays (one per model input):
    from an array (split in full batches of the model's `rows`, or of
    DYNAMIC_BATCH when `rows` is dynamic), a list or tuple of batches, or
    an iterable (a generator, consumed once)."""
    if callable(data):
        data = data()
    if isinstance(data, np.ndarray):
        if not isinstance(rows, int):
            # A dynamic batch: batches of DYNAMIC_BATCH rows, the last one
            # shorter.
            return ([data[i:i + DYNAMIC_BATCH]]
                    for i in range(0, len(data), DYNAMIC_BATCH))
        return ([data[i:i + rows]] for i in range(0, len(data) - rows + 1,
                                                   rows))
    return ([b] if isinstance(b, np.ndarray) else list(b) for b in data)


def calibrate(text, function, data, inputs, path, threads, progress=None):
    """Instruments `text`, runs every batch of `data` through it and writes
    the statistics to `path`. Returns the number of batches."""
    instrumented, _ = tools.compress_opt(text, ["--compress-instrument"])
    module = runtime.Module(instrumented, "threads=%d" % threads)
    module.begin_calibration()
    count = 0
    n_inputs = len(inputs)
    rows = inputs[0][1][0] if inputs and inputs[0][1] else 1
    symbols = dynamic_symbols(inputs)
    names = [i[0] for i in inputs]
    try:
        for batch in _batches(data, rows):
            if len(batch) != n_inputs:
                raise CompressError("a calibration batch has %d arrays, the "
                                    "model takes %d inputs" % (len(batch),
                                                               n_inputs))
            batch = [np.asarray(b) for b in batch]
            try:
                check_dynamic_sizes(symbols, names, batch)
            except CompressError as e:
                raise CompressError("calibration batch %d: %s"
                                    % (count + 1, e))
            module.call(function, batch)
            count += 1
            if progress:
                progress(count)
        if count == 0:
            raise CompressError("calibration_data gave no batches")
        module.write_calibration(path)
    except runtime.RuntimeError_ as e:
        module.end_calibration()
        raise CompressError("calibration failed: %s" % e)
    return count


def dynamic_symbols(inputs):
    """{(input, axis): symbol} of the dynamic sizes of `inputs` ([(name,
    shape, dtype)] with ir.Dim sizes)."""
    return {(i, axis): str(d.symbol)
            for i, (_, shape, _) in enumerate(inputs)
            for axis, d in enumerate(shape) if isinstance(d, Dim)}


def check_dynamic_sizes(symbols, names, arrays):
    """Dynamic sizes are positive, and sizes that share a name agree (the
    compiled code reads each from its first input and assumes the rest)."""
    seen = {}
    for (i, axis), symbol in symbols.items():
        size = np.shape(arrays[i])[axis]
        name = names[i]
        if size < 1:
            raise CompressError("input '%s': the dynamic size '%s' (axis %d) "
                                "must be positive, got %d"
                                % (name, symbol, axis, size))
        if symbol in seen and seen[symbol][0] != size:
            raise CompressError(
                "input '%s' has %s = %d (axis %d) but input '%s' has %d"
                % (name, symbol, size, axis, seen[symbol][1],
                   seen[symbol][0]))
        seen.setdefault(symbol, (size, name))


def _public_shape(shape):
    """A shape with None for its dynamic sizes."""
    return tuple(None if isinstance(d, Dim) else d for d in shape)


def _spell_shape(shape):
    return "[%s]" % ", ".join("?" if d is None else str(d) for d in shape)


# -- the compiled model ------------------------------------------------------------------

class CompiledModel(runtime.model_base()):
    """A compressed, compiled model: call it on numpy arrays (one per input,
    in order; lists and other dtypes of the same kind are converted) for
    its outputs (an array, or a tuple of them).

    A call with C-ordered arrays of exactly the inputs' dtypes and shapes
    runs from C through a prepared call of the runtime; others take
    _call_general, which converts, checks and explains."""

    def __init__(self, original, mlir, function, inputs, outputs, threads,
                 steps, imported=None, specializer=None):
        self.original_mlir = original
        self.mlir = mlir
        self.function = function
        # [(name, shape, dtype)]; a dynamic size is None.
        self.inputs = [(n, _public_shape(shape), d) for n, shape, d in inputs]
        self.outputs = [(n, _public_shape(shape), d)
                        for n, shape, d in outputs]
        # The symbols of the dynamic sizes: (input, axis) -> name.
        self._symbols = dynamic_symbols(inputs)
        self.threads = threads
        self.steps = steps  # [(technique, compress-opt options)]
        self._module = runtime.Module(mlir, "threads=%d" % threads)
        self._caller = self._module.caller(function, len(inputs))
        self._imported = imported
        # One C call per inference for arrays exactly like the inputs (a
        # static model); anything else takes _call_general.
        self._fast = None
        self._result_types = self._result_dtypes()
        if not self._symbols:
            self._fast = self._module.prepare(
                function, [(shape, d) for _, shape, d in self.inputs],
                self._result_types)
        self._specializer = specializer
        self._report = None

    def _result_dtypes(self):
        """The dtypes of the arrays a call returns: the graph outputs'
        where they have the function's element sizes (uint8 for int8)."""
        _, results = self._module.signature(self.function)
        dtypes = [d for _, d in results]
        if self._imported is not None:
            dtypes = [np.dtype(o[2]) if np.dtype(o[2]).itemsize ==
                      d.itemsize else d
                      for d, o in zip(dtypes, self.outputs)]
        return dtypes

    def _check(self, arrays):
        if len(arrays) != len(self.inputs):
            raise CompressError("the model takes %d inputs (%s), got %d" % (
                len(self.inputs), ", ".join(i[0] for i in self.inputs),
                len(arrays)))
        out = []
        for (name, shape, dtype), a in zip(self.inputs, arrays):
            if type(a) is np.ndarray and a.dtype == dtype and \
                    a.shape == shape and a.flags.c_contiguous:
                out.append(a)
                continue
            a = np.asarray(a)
            if not a.flags.c_contiguous:
                a = np.ascontiguousarray(a)
            if a.dtype != dtype:
                if a.dtype.kind == "f" and np.dtype(dtype).kind == "f":
                    a = a.astype(dtype)
                else:
                    raise CompressError("input '%s' must be %s, got %s" % (
                        name, np.dtype(dtype), a.dtype))
            if len(a.shape) != len(shape) or any(
                    want is not None and got != want
                    for got, want in zip(a.shape, shape)):
                raise CompressError("input '%s' must have shape %s, got %s "
                                    "(compile with input_shapes= for "
                                    "another)" % (name, _spell_shape(shape),
                                                  list(a.shape)))
            out.append(a)
        if self._symbols:
            self._check_dynamic_sizes(out)
        return out

    def _check_dynamic_sizes(self, arrays):
        check_dynamic_sizes(self._symbols, [i[0] for i in self.inputs],
                            arrays)

    def _sizes(self, arrays):
        """The sizes of the dynamic dimensions in `arrays` (checked)."""
        return tuple(arrays[i].shape[axis] for i, axis in self._symbols)

    def _build(self, arrays):
        """The (module, caller, prepared call or None) to run `arrays`
        with: a static specialization for their sizes when there is one,
        else the generic build."""
        if self._specializer is not None:
            built = self._specializer.get(self._sizes(arrays), arrays,
                                          self._result_types)
            if built is not None:
                return built
        return self._module, self._caller, self._fast

    def _call_general(self, *arrays):
        """A call with any arrays (the base class's __call__ comes here
        when the prepared call does not take them)."""
        args = self._check(arrays)
        caller = self._caller
        if self._symbols:
            # A specialization's prepared call takes the checked arrays.
            _, caller, prepared = self._build(args)
            if prepared is not None:
                results = prepared(tuple(args))
                if results is not None:
                    return results
        if self._imported is not None:
            args = self._imported.arguments(args)
        results = caller(args)
        if self._imported is not None:
            results = self._imported.results(results)
        return results[0] if len(results) == 1 else tuple(results)

    def time(self, *arrays, repeat=20):
        """(median, minimum) milliseconds of one call."""
        args = self._check(arrays)
        module, _, _ = self._build(args)
        return module.time(self.function, args, repeat)

    @property
    def specializations(self):
        """The sizes of the dynamic dimensions that have a static build
        (in the order of self.inputs' None sizes)."""
        if self._specializer is None:
            return []
        return [k for k, v in self._specializer.cache.items()
                if v is not None]

    def report(self):
        """The compressed model's compress-report (per-op parameters,
        bytes, FLOPs and each technique's choices) with totals before and
        after compression."""
        if self._report is None:
            after = tools.report(self.mlir)
            before = tools.report(self.original_mlir)
            self._report = {
                "steps": [{"technique": t, "options": o}
                          for t, o in self.steps],
                "original": _totals(before),
                "compressed": _totals(after),
                "ops": after.get("ops", []),
            }
        return self._report

    def save(self, directory):
        """Writes model.mlir (the compressed model), report.json and, with
        clang, lib<function>.so with the C entry point
        _mlir_ciface_<function> (docs/python.md)."""
        os.makedirs(directory, exist_ok=True)
        with open(os.path.join(directory, "model.mlir"), "w") as f:
            f.write(self.mlir)
        with open(os.path.join(directory, "report.json"), "w") as f:
            json.dump(self.report(), f, indent=2)
        library = os.path.join(directory, "lib%s.so" % self.function)
        build_shared_library(self.mlir, library, self.threads)
        return directory


def _totals(report):
    ops = report.get("ops", [])
    keys = ("params", "bytes", "flops")
    out = {k: sum(int(op.get(k, 0) or 0) for op in ops) for k in keys}
    for k in keys:
        if k in report.get("totals", {}):
            out[k] = report["totals"][k]
    return out


def build_shared_library(text, path, threads):
    """Lowers `text` to LLVM IR and links a shared library (clang-22)."""
    llvm = os.environ.get("LLVM_PREFIX", "/usr/lib/llvm-22")
    lowered, _ = tools.compress_opt(
        text, ["--compress-to-llvm=threads=%d" % threads])
    with tempfile.TemporaryDirectory() as tmp:
        ll = os.path.join(tmp, "model.ll")
        r = subprocess.run([os.path.join(llvm, "bin", "mlir-translate"),
                            "--mlir-to-llvmir", "-o", ll],
                           input=lowered.encode(), capture_output=True)
        if r.returncode != 0:
            raise CompressError("mlir-translate failed: %s" %
                                r.stderr.decode(errors="replace"))
        cmd = [os.path.join(llvm, "bin", "clang"), "-O3", "-shared", "-fPIC",
               "-Wno-override-module", ll, "-o", path,
               "-L" + os.path.join(llvm, "lib"), "-lmlir_c_runner_utils",
               "-Wl,-rpath," + os.path.join(llvm, "lib"), "-lm"]
        if threads > 1:
            cmd += ["-fopenmp"]
        r = subprocess.run(cmd, capture_output=True)
        if r.returncode != 0:
            raise CompressError("clang failed: %s" %
                                r.stderr.decode(errors="replace"))


# -- compile ---------------------------------------------------------------------------

def compile(model, quantize=None, prune=None, decompose=None, fuse=True,
            calibration_data=None, threads=None, input_shapes=None,
            constant_inputs=None, specialize=True, progress=None):
    """Imports `model` (ONNX: a path, bytes or ModelProto), compresses it
    and compiles it.

    quantize: 'int8' | 'int4' | 'fp16' | 'bf16' | 'log2' | compress-quantize
      options ('bits=8 mode=static granularity=per-channel' or a dict).
    prune: a sparsity in [0, 1) | 'N:M' | compress-prune options.
    decompose: a tolerance | 'tol=0.05' | compress-cp-decompose options
      ('method=tucker2 rank-ratio=0.5').
    fuse: fold batch norms and per-channel affine ops into the weights
      before compressing (the code generator always fuses epilogues).
    calibration_data: the model's inputs for the data-aware techniques (a
      numpy array split in batches of the model's batch size, 32 when it is
      dynamic; a list of batches; or a callable returning an iterable of
      batches: a generator is consumed once, so with more than one
      data-aware technique pass a callable).
    threads: threads of the compiled code (default: all cores, at most 2
      here).
    input_shapes: {input name or position: shape} fixing dimensions the
      model leaves dynamic (None in a shape keeps that one dynamic).
      Dimensions left dynamic stay dynamic in the compiled model: it takes
      any size there (inputs sharing a dimension's name must agree).
    specialize: with dynamic dimensions, the first call at new sizes
      builds a static version for them (the same import and compression
      steps with those sizes; up to MAX_SPECIALIZATIONS, cached), which
      runs at the speed of a model compiled with fixed input_shapes; False
      runs the generic code for every size.
    """
    if threads is None:
        threads = max(1, min(os.cpu_count() or 1, 2))
    if not isinstance(threads, int) or threads < 1:
        raise CompressError("threads must be a positive integer, got %r"
                            % (threads,))
    imported = import_onnx(model, input_shapes=input_shapes,
                           constant_inputs=constant_inputs)
    calibrated = calibration_data is not None
    steps = []
    if fuse:
        steps.append(("fold-batchnorm", {}, "--compress-fold-batchnorm"))
    if decompose is not None:
        steps.append(("decompose", decompose_options(decompose, calibrated),
                      "--compress-cp-decompose"))
    if prune is not None:
        steps.append(("prune", prune_options(prune, calibrated),
                      "--compress-prune"))
    if quantize is not None:
        steps.append(("quantize", quantize_options(quantize, calibrated),
                      "--compress-quantize"))
    text = imported.text
    done = []
    applied = []  # the compress-opt arguments, in order
    dynamic = any(isinstance(d, Dim) for _, shape, _ in imported.inputs
                  for d in shape)
    # Calibration statistics outlive compile() when a dynamic model may
    # replay the steps for a static specialization.
    directory = tempfile.TemporaryDirectory()
    tmp = directory.name
    specializer = None
    try:
        for i, (name, opts, flag) in enumerate(steps):
            uses_data = calibrated and name != "fold-batchnorm" and (
                name != "quantize" or opts.get("mode") == "static")
            given = opts.get("calibration")
            if dynamic and specialize and given is not None:
                # The user's statistics, kept as they are now for the
                # specializations.
                copy = os.path.join(tmp, "given%d.json" % i)
                try:
                    shutil.copyfile(opts["calibration"], copy)
                except OSError as e:
                    raise CompressError("cannot read the calibration file "
                                        "%s: %s" % (opts["calibration"], e))
                opts = dict(opts, calibration=copy)
            if uses_data and "calibration" not in opts:
                path = os.path.join(tmp, "calibration%d.json" % i)
                calibrate(text, imported.function, calibration_data,
                          imported.inputs, path, threads,
                          progress and (lambda n, s=name: progress(
                              "calibrating for %s" % s, n)))
                opts = dict(opts, calibration=path)
            arg = flag + ("=" + _spell(opts) if opts else "")
            try:
                text, _ = tools.compress_opt(text, [arg])
            except tools.ToolError as e:
                raise CompressError(str(e))
            applied.append(arg)
            shown = {k: v for k, v in opts.items() if k != "calibration"}
            if "calibration" in opts:
                shown["calibration"] = given or "calibration_data"
            done.append((name, _spell(shown)))
        if progress:
            progress("compiling", 0)
        if dynamic and specialize:
            specializer = _Specializer(model, constant_inputs,
                                       imported.function, applied, threads,
                                       directory)
        try:
            return CompiledModel(imported.text, text, imported.function,
                                 imported.inputs, imported.outputs, threads,
                                 done, imported, specializer)
        except runtime.RuntimeError_ as e:
            raise CompressError("compiling the compressed model failed: %s"
                                % e)
    finally:
        if specializer is None:
            directory.cleanup()


MAX_SPECIALIZATIONS = 4


class _Specializer:
    """Static builds of a model with dynamic dimensions, one per set of
    sizes: the model imported again with those sizes fixed, the same
    compress-opt steps (with the same calibration statistics, which do not
    depend on the batch), compiled. The code generator plans its kernels
    for static shapes (packing, register blocks, sparse crossovers), so
    these run at the speed of a model compiled with fixed input_shapes;
    the generic build runs sizes beyond MAX_SPECIALIZATIONS."""

    def __init__(self, source, constant_inputs, function,
                 steps, threads, directory):
        # The model as compile() saw it (a later change of the file or the
        # proto must not reach the specializations).
        self.source = load(source).SerializeToString()
        self.constant_inputs = constant_inputs
        self.function = function
        self.steps = steps
        self.threads = threads
        self.directory = directory  # holds the calibration statistics
        # sizes -> (module, caller, prepared call), or None if it failed
        self.cache = {}
        self.lock = threading.Lock()

    def get(self, sizes, arrays, result_types):
        built = self.cache.get(sizes, False)
        if built is not False:
            return built
        with self.lock:
            if sizes in self.cache:
                return self.cache[sizes]
            if len(self.cache) >= MAX_SPECIALIZATIONS:
                return None
            try:
                built = self.build(arrays, result_types)
            except (CompressError, tools.ToolError, runtime.RuntimeError_,
                    ImportError_):
                # The generic build computes the same; keep using it.
                built = None
            self.cache[sizes] = built
            return built

    def build(self, arrays, result_types):
        imported = import_onnx(
            self.source, input_shapes={i: list(a.shape)
                                       for i, a in enumerate(arrays)},
            function=self.function, constant_inputs=self.constant_inputs)
        text = imported.text
        for arg in self.steps:
            text, _ = tools.compress_opt(text, [arg])
        module = runtime.Module(text, "threads=%d" % self.threads)
        prepared = module.prepare(self.function,
                                  [(a.shape, a.dtype) for a in arrays],
                                  result_types)
        return (module, module.caller(self.function, len(arrays)),
                prepared)


# -- evaluate ----------------------------------------------------------------------------

def evaluate(original, compressed, data, labels=None, repeat=20,
             batch_size=None):
    """Accuracy (with `labels`: top-1 of the first output) or, without,
    agreement of the top-1 classes and the cosine between the outputs of
    the two models, and the median latency of both (one call on the first
    batch, `repeat` times). `original` and `compressed` are CompiledModels
    (compile `original` with no technique); `data` is an array of inputs
    whose first dimension is the model's batch (split in the model's
    batch size)."""
    for m, what in ((original, "original"), (compressed, "compressed")):
        if not isinstance(m, CompiledModel):
            raise CompressError("%s must be a CompiledModel (compress."
                                "compile)" % what)
    data = np.asarray(data)
    batch = batch_size or original.inputs[0][1][0] or DYNAMIC_BATCH
    if len(data) % batch:
        data = data[:len(data) - len(data) % batch]
    if len(data) == 0:
        raise CompressError("evaluate needs at least one batch of %d rows"
                            % batch)
    outs = {"original": [], "compressed": []}
    for start in range(0, len(data), batch):
        x = data[start:start + batch]
        for key, m in (("original", original), ("compressed", compressed)):
            y = m(x)
            outs[key].append(y[0] if isinstance(y, tuple) else y)
    a = np.concatenate(outs["original"])
    b = np.concatenate(outs["compressed"])
    result = {"samples": int(len(a))}
    flat_a, flat_b = a.reshape(len(a), -1), b.reshape(len(b), -1)
    cos = np.sum(flat_a * flat_b) / max(
        np.linalg.norm(flat_a) * np.linalg.norm(flat_b), 1e-30)
    result["cosine"] = float(cos)
    if flat_a.shape[1] > 1:
        result["agreement"] = float(np.mean(np.argmax(flat_a, 1) ==
                                            np.argmax(flat_b, 1)))
    if labels is not None:
        labels = np.asarray(labels)[:len(a)]
        result["accuracy_original"] = float(np.mean(np.argmax(flat_a, 1) ==
                                                    labels))
        result["accuracy_compressed"] = float(np.mean(np.argmax(
            flat_b, 1) == labels))
        result["accuracy_drop_points"] = 100 * (
            result["accuracy_original"] - result["accuracy_compressed"])
    x = data[:batch]
    result["latency_ms_original"] = original.time(x, repeat=repeat)[0]
    result["latency_ms_compressed"] = compressed.time(x, repeat=repeat)[0]
    result["speedup"] = result["latency_ms_original"] / max(
        result["latency_ms_compressed"], 1e-9)
    return result
