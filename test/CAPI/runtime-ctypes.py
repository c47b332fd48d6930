# The runtime's C API from Python through ctypes and libCompressRuntimeC.so:
# compile a module, read a signature, call a function on NumPy arrays
# (checked against NumPy), and an error with its message.
#
# REQUIRES: host-supports-jit
# UNSUPPORTED: sanitizer
# RUN: %python %s %compress_lib_dir/libCompressRuntimeC.so | FileCheck %s

import ctypes
import sys

import numpy as np

lib = ctypes.CDLL(sys.argv[1])


class Array(ctypes.Structure):
    _fields_ = [("data", ctypes.c_void_p), ("rank", ctypes.c_int64),
                ("shape", ctypes.POINTER(ctypes.c_int64)),
                ("dtype", ctypes.c_int)]


class ValueInfo(ctypes.Structure):
    _fields_ = [("dtype", ctypes.c_int), ("rank", ctypes.c_int64),
                ("shape", ctypes.POINTER(ctypes.c_int64)),
                ("isScalar", ctypes.c_int)]


F32 = 10
Error = ctypes.POINTER(ctypes.c_char)
lib.compressRuntimeCompile.restype = ctypes.c_void_p
lib.compressRuntimeCompile.argtypes = [ctypes.c_char_p, ctypes.c_char_p,
                                       ctypes.c_int, ctypes.POINTER(Error)]
lib.compressRuntimeCall.argtypes = [
    ctypes.c_void_p, ctypes.c_char_p, ctypes.POINTER(Array), ctypes.c_size_t,
    ctypes.POINTER(ctypes.POINTER(Array)), ctypes.POINTER(ctypes.c_size_t),
    ctypes.POINTER(Error)]
lib.compressRuntimeGetArgument.argtypes = [
    ctypes.c_void_p, ctypes.c_char_p, ctypes.c_size_t,
    ctypes.POINTER(ValueInfo), ctypes.POINTER(Error)]
lib.compressRuntimeFreeResults.argtypes = [ctypes.POINTER(Array),
                                           ctypes.c_size_t]
lib.compressRuntimeFreeError.argtypes = [Error]
lib.compressRuntimeDestroy.argtypes = [ctypes.c_void_p]


def message(error):
    text = ctypes.cast(error, ctypes.c_char_p).value.decode()
    lib.compressRuntimeFreeError(error)
    return text


module = b"""
func.func @scale(%x: tensor<?x3xf32>, %s: f32) -> tensor<?x3xf32> {
  %c0 = arith.constant 0 : index
  %n = tensor.dim %x, %c0 : tensor<?x3xf32>
  %e = tensor.empty(%n) : tensor<?x3xf32>
  %r = linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>,
      affine_map<(i, j) -> (i, j)>], iterator_types = ["parallel", "parallel"]}
      ins(%x : tensor<?x3xf32>) outs(%e : tensor<?x3xf32>) {
  ^bb0(%a: f32, %o: f32):
    %m = arith.mulf %a, %s : f32
    linalg.yield %m : f32
  } -> tensor<?x3xf32>
  return %r : tensor<?x3xf32>
}
"""
error = Error()
rt = lib.compressRuntimeCompile(module, b"", 2, ctypes.byref(error))
assert rt, message(error)

info = ValueInfo()
lib.compressRuntimeGetArgument(rt, b"scale", 0, ctypes.byref(info), None)
print("argument 0:", info.dtype, info.rank, info.shape[1], info.isScalar)
# CHECK: argument 0: 10 2 3 0


def as_array(a):
    shape = (ctypes.c_int64 * a.ndim)(*a.shape)
    return Array(a.ctypes.data, a.ndim, shape, F32), shape


x = np.arange(12, dtype=np.float32).reshape(4, 3) - 5
s = np.array(2.5, dtype=np.float32)
(ax, keep_x), (as_, keep_s) = as_array(x), as_array(s)
inputs = (Array * 2)(ax, as_)
results = ctypes.POINTER(Array)()
count = ctypes.c_size_t()
status = lib.compressRuntimeCall(rt, b"scale", inputs, 2, ctypes.byref(results),
                                 ctypes.byref(count), ctypes.byref(error))
assert status == 0, message(error)
r = results[0]
shape = tuple(r.shape[d] for d in range(r.rank))
y = np.ctypeslib.as_array(ctypes.cast(r.data, ctypes.POINTER(ctypes.c_float)),
                          shape=shape).copy()
lib.compressRuntimeFreeResults(results, count)
print("result:", count.value, shape, np.array_equal(y, x * s))
# CHECK: result: 1 (4, 3) True

status = lib.compressRuntimeCall(rt, b"missing", None, 0, ctypes.byref(results),
                                 ctypes.byref(count), ctypes.byref(error))
print("missing:", status, message(error))
# CHECK: missing: 2 function '@missing' not found in '<string>'
lib.compressRuntimeDestroy(rt)
