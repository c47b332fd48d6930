"""ctypes bindings of the runtime library's C API (include/compress-c/
Runtime.h): JIT-compile a module, call its functions on numpy arrays, time
calls and record calibration statistics.

The library is libCompressRuntimeC.so of a build of this repository, found
through $COMPRESS_BUILD_DIR (default: the build/ folder beside python/).
"""

import ctypes
import glob
import importlib.machinery
import importlib.util
import os
import threading
import weakref

import numpy as np

from .tools import build_dir

DTYPES = {
    0: np.bool_, 1: np.int8, 2: np.int16, 3: np.int32, 4: np.int64,
    5: np.uint8, 6: np.uint16, 7: np.uint32, 8: np.uint64, 9: np.float16,
    10: np.float32, 11: np.float64,
}
CODES = {np.dtype(v): k for k, v in DTYPES.items()}
DYNAMIC = -(1 << 63)


class RuntimeError_(Exception):
    """A failure reported by the runtime library (its message)."""


class CompressArray(ctypes.Structure):
    _fields_ = [("data", ctypes.c_void_p), ("rank", ctypes.c_int64),
                ("shape", ctypes.POINTER(ctypes.c_int64)),
                ("dtype", ctypes.c_int)]


class CompressValueInfo(ctypes.Structure):
    _fields_ = [("dtype", ctypes.c_int), ("rank", ctypes.c_int64),
                ("shape", ctypes.POINTER(ctypes.c_int64)),
                ("isScalar", ctypes.c_int)]


_lib = None


def library():
    """The loaded runtime library (once)."""
    global _lib
    if _lib is not None:
        return _lib
    path = os.path.join(build_dir(), "lib", "libCompressRuntimeC.so")
    if not os.path.exists(path):
        raise RuntimeError_("the runtime library %s does not exist: build "
                            "the project first (scripts/test.sh or cmake; "
                            "or set COMPRESS_BUILD_DIR)" % path)
    lib = ctypes.CDLL(path)
    handle = ctypes.c_void_p
    lib.compressRuntimeCompile.restype = handle
    lib.compressRuntimeCompile.argtypes = [ctypes.c_char_p, ctypes.c_char_p,
                                           ctypes.c_int,
                                           ctypes.POINTER(ctypes.c_void_p)]
    lib.compressRuntimeDestroy.argtypes = [handle]
    lib.compressRuntimeFreeError.argtypes = [ctypes.c_void_p]
    lib.compressRuntimeGetSignature.argtypes = [
        handle, ctypes.c_char_p, ctypes.POINTER(ctypes.c_size_t),
        ctypes.POINTER(ctypes.c_size_t), ctypes.POINTER(ctypes.c_void_p)]
    for name in ("compressRuntimeGetArgument", "compressRuntimeGetResult"):
        getattr(lib, name).argtypes = [
            handle, ctypes.c_char_p, ctypes.c_size_t,
            ctypes.POINTER(CompressValueInfo),
            ctypes.POINTER(ctypes.c_void_p)]
    lib.compressRuntimeCall.argtypes = [
        handle, ctypes.c_char_p, ctypes.POINTER(CompressArray),
        ctypes.c_size_t, ctypes.POINTER(ctypes.POINTER(CompressArray)),
        ctypes.POINTER(ctypes.c_size_t), ctypes.POINTER(ctypes.c_void_p)]
    lib.compressRuntimeFreeResults.argtypes = [
        ctypes.POINTER(CompressArray), ctypes.c_size_t]
    lib.compressRuntimeTime.argtypes = [
        handle, ctypes.c_char_p, ctypes.POINTER(CompressArray),
        ctypes.c_size_t, ctypes.c_uint64, ctypes.POINTER(ctypes.c_double),
        ctypes.POINTER(ctypes.c_double), ctypes.POINTER(ctypes.c_void_p)]
    lib.compressRuntimeBeginCalibration.argtypes = [
        handle, ctypes.POINTER(ctypes.c_void_p)]
    lib.compressRuntimeWriteCalibration.argtypes = [
        handle, ctypes.c_char_p, ctypes.POINTER(ctypes.c_void_p)]
    lib.compressRuntimeEndCalibration.argtypes = [handle]
    _lib = lib
    return lib


_fastcall = None


def fastcall():
    """The extension module compress._fastcall of the build (prepared calls
    from numpy arrays), or None when the build has none (then calls go
    through ctypes)."""
    global _fastcall
    if _fastcall is None:
        library()  # The extension uses the library ctypes loaded.
        found = sorted(glob.glob(os.path.join(
            build_dir(), "python", "compress", "_fastcall.*.so")))
        _fastcall = False
        if found:
            loader = importlib.machinery.ExtensionFileLoader(
                "compress._fastcall", found[0])
            spec = importlib.util.spec_from_file_location(
                "compress._fastcall", found[0], loader=loader)
            module = importlib.util.module_from_spec(spec)
            loader.exec_module(module)
            _fastcall = module
    return _fastcall or None


class _ModelBase:
    """The base class of compiled models without the extension: every call
    goes to _call_general."""
    _fast = None

    def __call__(self, *arrays):
        return self._call_general(*arrays)


def model_base():
    """The base class of compress.CompiledModel: the extension's Model,
    whose calls run the prepared call `_fast` straight from C (no Python
    frame: a large model leaves the interpreter's code and data out of the
    caches, and each Python step then costs microseconds), else a Python
    class with the same protocol."""
    try:
        extension = fastcall()
    except RuntimeError_:  # Not built yet.
        extension = None
    return extension.Model if extension is not None else _ModelBase


def _check(status, error):
    if status != 0:
        message = ctypes.cast(error, ctypes.c_char_p).value
        text = message.decode(errors="replace") if message else \
            "runtime error %d" % status
        library().compressRuntimeFreeError(error)
        raise RuntimeError_(text)


def _take_results(lib, results, count):
    """numpy copies of the `count` arrays a call returned, which are then
    freed."""
    out = []
    try:
        for i in range(count):
            r = results[i]
            array = np.empty(r.shape[:r.rank], DTYPES[r.dtype])
            if array.nbytes:
                ctypes.memmove(array.ctypes.data, r.data, array.nbytes)
            out.append(array)
    finally:
        lib.compressRuntimeFreeResults(results, count)
    return out


class Module:
    """A JIT-compiled MLIR module."""

    def __init__(self, text, options="", opt_level=3):
        lib = library()
        error = ctypes.c_void_p()
        handle = lib.compressRuntimeCompile(
            text.encode() if isinstance(text, str) else text,
            options.encode(), opt_level, ctypes.byref(error))
        if not handle:
            _check(3, error)
        self._handle = handle
        self._lib = lib
        self._prepared = []

    def close(self):
        if self._handle:
            for ref in self._prepared:
                call = ref()
                if call is not None:
                    call.close()
            self._lib.compressRuntimeDestroy(self._handle)
            self._handle = None

    def __del__(self):
        try:
            self.close()
        except Exception:
            pass

    def signature(self, function):
        """([(shape, dtype)] of the arguments, [(shape, dtype)] of the
        results); a dynamic size is None."""
        lib = self._lib
        fn = function.encode()
        n_args, n_res = ctypes.c_size_t(), ctypes.c_size_t()
        error = ctypes.c_void_p()
        _check(lib.compressRuntimeGetSignature(
            self._handle, fn, ctypes.byref(n_args), ctypes.byref(n_res),
            ctypes.byref(error)), error)

        def info(getter, i):
            v = CompressValueInfo()
            e = ctypes.c_void_p()
            _check(getter(self._handle, fn, i, ctypes.byref(v),
                          ctypes.byref(e)), e)
            shape = tuple(None if v.shape[d] == DYNAMIC else v.shape[d]
                          for d in range(v.rank))
            return shape, np.dtype(DTYPES[v.dtype])
        return ([info(lib.compressRuntimeGetArgument, i)
                 for i in range(n_args.value)],
                [info(lib.compressRuntimeGetResult, i)
                 for i in range(n_res.value)])

    @staticmethod
    def _arrays(inputs):
        keep, arrays = [], (CompressArray * max(len(inputs), 1))()
        for i, x in enumerate(inputs):
            x = np.ascontiguousarray(x)
            if x.dtype not in CODES:
                raise RuntimeError_("input %d has dtype %s, which the "
                                    "runtime does not take" % (i, x.dtype))
            shape = (ctypes.c_int64 * max(x.ndim, 1))(*x.shape)
            keep += [x, shape]
            arrays[i].data = x.ctypes.data if x.size else None
            arrays[i].rank = x.ndim
            arrays[i].shape = shape
            arrays[i].dtype = CODES[x.dtype]
        return arrays, keep

    def call(self, function, inputs):
        """The results of `function` on the numpy `inputs` (a list of
        arrays, copied out of the runtime's memory)."""
        arrays, keep = self._arrays(inputs)
        results = ctypes.POINTER(CompressArray)()
        count = ctypes.c_size_t()
        error = ctypes.c_void_p()
        _check(self._lib.compressRuntimeCall(
            self._handle, function.encode(), arrays, len(inputs),
            ctypes.byref(results), ctypes.byref(count), ctypes.byref(error)),
            error)
        del keep
        return _take_results(self._lib, results, count.value)

    def caller(self, function, num_inputs):
        """A Caller of `function`: the same as call() with less work per
        call (for a model called many times)."""
        return Caller(self, function, num_inputs)

    def prepare(self, function, inputs, results):
        """A prepared call of `function` (compress._fastcall.PreparedCall),
        or None without the extension: call(arrays) on a tuple of arrays
        returns the results (one array, or a tuple), or None when the arrays
        are not exactly C-ordered, aligned numpy arrays of the prepared
        dtypes and shapes (then use call()).

        inputs: [(shape, dtype)], the dtypes the arrays must have: each the
        dtype of the function's argument or one of the same size (uint8 for
        an int8 argument); results: the dtypes of the returned arrays, of
        the sizes of the function's results."""
        extension = fastcall()
        if extension is None:
            return None
        args, _ = self.signature(function)
        described = [(tuple(shape), np.dtype(dtype), CODES[arg[1]])
                     for (shape, dtype), arg in zip(inputs, args)]
        call = extension.PreparedCall(self._handle, function, described,
                                      [np.dtype(r) for r in results], self,
                                      RuntimeError_)
        self._prepared = [r for r in self._prepared if r() is not None]
        self._prepared.append(weakref.ref(call))
        return call

    def time(self, function, inputs, repeat):
        """(median, minimum) milliseconds of one call."""
        arrays, keep = self._arrays(inputs)
        median, minimum = ctypes.c_double(), ctypes.c_double()
        error = ctypes.c_void_p()
        _check(self._lib.compressRuntimeTime(
            self._handle, function.encode(), arrays, len(inputs), repeat,
            ctypes.byref(median), ctypes.byref(minimum),
            ctypes.byref(error)), error)
        del keep
        return median.value, minimum.value

    def begin_calibration(self):
        error = ctypes.c_void_p()
        _check(self._lib.compressRuntimeBeginCalibration(
            self._handle, ctypes.byref(error)), error)

    def write_calibration(self, path):
        error = ctypes.c_void_p()
        _check(self._lib.compressRuntimeWriteCalibration(
            self._handle, str(path).encode(), ctypes.byref(error)), error)

    def end_calibration(self):
        self._lib.compressRuntimeEndCalibration(self._handle)


class Caller:
    """Calls one function of a Module on numpy arrays, reusing its ctypes
    structures between calls: after a large model has run, the caches are
    cold, and each Python step costs microseconds (the call from Python
    then adds about as much as the runtime's own work per call). A call
    made while another thread is in one (ctypes releases the GIL) takes
    the plain Module.call path with structures of its own."""

    def __init__(self, module, function, num_inputs):
        self._module = module
        self._call = module._lib.compressRuntimeCall
        self._function = function.encode()
        self._arrays = (CompressArray * max(num_inputs, 1))()
        self._num_inputs = num_inputs
        self._shapes = [None] * num_inputs
        self._results = ctypes.POINTER(CompressArray)()
        self._count = ctypes.c_size_t()
        self._error = ctypes.c_void_p()
        self._refs = (ctypes.byref(self._results), ctypes.byref(self._count),
                      ctypes.byref(self._error))
        self._busy = threading.Lock()

    def __call__(self, inputs):
        """The results of the function on `inputs` (C-ordered arrays of
        the runtime's dtypes, checked by the caller)."""
        if not self._busy.acquire(blocking=False):
            return self._module.call(self._function.decode(), inputs)
        try:
            return self._call_unlocked(inputs)
        finally:
            self._busy.release()

    def _call_unlocked(self, inputs):
        arrays = self._arrays
        for i, x in enumerate(inputs):
            a = arrays[i]
            if self._shapes[i] is None or self._shapes[i][0] != x.shape:
                shape = (ctypes.c_int64 * max(x.ndim, 1))(*x.shape)
                self._shapes[i] = (x.shape, shape)
                a.rank = x.ndim
                a.shape = shape
            a.data = x.ctypes.data if x.size else None
            a.dtype = CODES[x.dtype]
        status = self._call(self._module._handle, self._function, arrays,
                            self._num_inputs, *self._refs)
        if status:
            _check(status, self._error)
        return _take_results(self._module._lib, self._results,
                             self._count.value)
