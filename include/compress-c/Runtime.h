/*===- Runtime.h - C API of the compress runtime ------------------*- C -*-===*\
|*                                                                            *|
|* JIT-compile an MLIR module with the compress-to-llvm pipeline, inspect     *|
|* the signatures of its functions, call them on N-D arrays, time calls and   *|
|* record calibration statistics. Pure C: opaque handles, plain structs and   *|
|* status codes; every failure returns a status (or NULL) and, if asked, a    *|
|* message. docs/runtime.md describes ownership and thread safety.            *|
|*                                                                            *|
\*===----------------------------------------------------------------------===*/

#ifndef COMPRESS_C_RUNTIME_H
#define COMPRESS_C_RUNTIME_H

#include "mlir-c/Support.h"

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/*===----------------------------------------------------------------------===*
 * Types
 *===----------------------------------------------------------------------===*/

/** The result of an operation. Anything but COMPRESS_OK is a failure. */
typedef enum CompressStatus {
  COMPRESS_OK = 0,
  /** Bad arguments: counts, dtypes, ranks, shapes, options, NULL pointers. */
  COMPRESS_ERROR_INVALID_ARGUMENT = 1,
  /** No such function, or one that cannot be called. */
  COMPRESS_ERROR_NOT_FOUND = 2,
  /** The module cannot be read, parsed, lowered or JIT-compiled. */
  COMPRESS_ERROR_COMPILE = 3,
  /** The call failed (e.g. an unresolved symbol), or its results cannot be
      returned. */
  COMPRESS_ERROR_CALL = 4,
  /** A file cannot be read or written. */
  COMPRESS_ERROR_IO = 5,
  /** Memory for an array cannot be allocated. */
  COMPRESS_ERROR_OUT_OF_MEMORY = 6,
} CompressStatus;

/** Element types, with their NumPy equivalents. */
typedef enum CompressDType {
  COMPRESS_DTYPE_BOOL = 0, /**< i1: bool, one byte per element */
  COMPRESS_DTYPE_I8 = 1,   /**< i8/si8: int8 */
  COMPRESS_DTYPE_I16 = 2,  /**< int16 */
  COMPRESS_DTYPE_I32 = 3,  /**< int32 */
  COMPRESS_DTYPE_I64 = 4,  /**< i64/si64 and index: int64 */
  COMPRESS_DTYPE_U8 = 5,   /**< ui8: uint8 */
  COMPRESS_DTYPE_U16 = 6,  /**< uint16 */
  COMPRESS_DTYPE_U32 = 7,  /**< uint32 */
  COMPRESS_DTYPE_U64 = 8,  /**< uint64 */
  COMPRESS_DTYPE_F16 = 9,  /**< float16 */
  COMPRESS_DTYPE_F32 = 10, /**< float32 */
  COMPRESS_DTYPE_F64 = 11, /**< float64 */
} CompressDType;

/** A dynamic size in a CompressValueInfo shape (MLIR's ShapedType::kDynamic).
 */
#define COMPRESS_DYNAMIC_SIZE INT64_MIN

/** A dense, C-ordered (row-major), little-endian N-D array. A scalar is a
    rank-0 array (a one-element rank-1 array is accepted as a scalar
    argument too). */
typedef struct CompressArray {
  /** The elements; may be NULL when the array has no elements. */
  void *data;
  /** Number of dimensions, 0 to 64. */
  int64_t rank;
  /** `rank` sizes (NULL when rank is 0). */
  const int64_t *shape;
  CompressDType dtype;
} CompressArray;

/** What a function argument or result is. */
typedef struct CompressValueInfo {
  CompressDType dtype;
  /** 0 for scalars. */
  int64_t rank;
  /** `rank` static sizes or COMPRESS_DYNAMIC_SIZE; owned by the handle. */
  const int64_t *shape;
  /** 1 for scalar values (f32, i64, ...), 0 for tensors and memrefs. */
  int isScalar;
} CompressValueInfo;

/** A compiled module. */
typedef struct CompressRuntimeImpl *CompressRuntime;

/*===----------------------------------------------------------------------===*
 * Errors
 *
 * Every function that can fail takes `char **error` last. When it is not
 * NULL, it receives NULL on success and a message allocated by the library
 * on failure (NULL only if that allocation failed), which the caller frees
 * with compressRuntimeFreeError.
 *===----------------------------------------------------------------------===*/

/** Frees an error message (NULL is ignored). */
MLIR_CAPI_EXPORTED void compressRuntimeFreeError(char *error);

/** The name of a dtype ("float32"), or "unknown". */
MLIR_CAPI_EXPORTED const char *compressDTypeName(CompressDType dtype);

/** The size of one element of `dtype` in bytes, or 0 if it is not a dtype. */
MLIR_CAPI_EXPORTED size_t compressDTypeSize(CompressDType dtype);

/*===----------------------------------------------------------------------===*
 * Compiling
 *===----------------------------------------------------------------------===*/

/** Parses the MLIR module `mlirText` (IR at any level: func + linalg/tensor/
    TOSA/compress ops, memrefs, or the LLVM dialect), lowers it with
    compress-to-llvm{`pipelineOptions`} (e.g. "cpu=native threads=2"; NULL or
    "" for the defaults) unless it is in the LLVM dialect already, and
    JIT-compiles it at LLVM optimization level `optLevel` (0 to 3). Returns
    NULL on failure; the message includes the MLIR diagnostics. */
MLIR_CAPI_EXPORTED CompressRuntime
compressRuntimeCompile(const char *mlirText, const char *pipelineOptions,
                       int optLevel, char **error);

/** Like compressRuntimeCompile, with the module read from file `path`. */
MLIR_CAPI_EXPORTED CompressRuntime compressRuntimeCompileFile(
    const char *path, const char *pipelineOptions, int optLevel, char **error);

/** Destroys a handle and its compiled code (NULL is ignored). No other call
    on the handle may run at the same time or later. */
MLIR_CAPI_EXPORTED void compressRuntimeDestroy(CompressRuntime runtime);

/*===----------------------------------------------------------------------===*
 * Signatures
 *===----------------------------------------------------------------------===*/

/** The number of arguments and results of public function `function`. Fails
    for missing, private or external functions and for types without a
    dtype (e.g. bf16, unranked tensors). */
MLIR_CAPI_EXPORTED CompressStatus compressRuntimeGetSignature(
    CompressRuntime runtime, const char *function, size_t *numArguments,
    size_t *numResults, char **error);

/** Argument `index` of `function`. */
MLIR_CAPI_EXPORTED CompressStatus
compressRuntimeGetArgument(CompressRuntime runtime, const char *function,
                           size_t index, CompressValueInfo *info, char **error);

/** Result `index` of `function`. */
MLIR_CAPI_EXPORTED CompressStatus
compressRuntimeGetResult(CompressRuntime runtime, const char *function,
                         size_t index, CompressValueInfo *info, char **error);

/*===----------------------------------------------------------------------===*
 * Calling
 *===----------------------------------------------------------------------===*/

/** Calls `function` on `numInputs` arrays (one per argument, checked for
    dtype, rank and static sizes; never modified: tensor arguments are read
    in place, others copied) and returns its
    results: `*results` receives an array of `*numResults` arrays (NULL when
    there are none) whose memory the caller frees with
    compressRuntimeFreeResults. While calibration is being recorded, the
    call's observations are recorded and it counts as one batch. */
MLIR_CAPI_EXPORTED CompressStatus
compressRuntimeCall(CompressRuntime runtime, const char *function,
                    const CompressArray *inputs, size_t numInputs,
                    CompressArray **results, size_t *numResults, char **error);

/** Frees results returned by compressRuntimeCall: each array's data and
    shape, and the array of arrays (NULL is ignored). */
MLIR_CAPI_EXPORTED void compressRuntimeFreeResults(CompressArray *results,
                                                   size_t numResults);

/** Calls `function` once untimed, then `repeat` times (1 to 1000000) timed,
    each call from the same inputs, and reports the median and
    minimum time of one call in milliseconds. Results are discarded; nothing
    is recorded for calibration. */
MLIR_CAPI_EXPORTED CompressStatus compressRuntimeTime(
    CompressRuntime runtime, const char *function, const CompressArray *inputs,
    size_t numInputs, uint64_t repeat, double *medianMs, double *minMs,
    char **error);

/*===----------------------------------------------------------------------===*
 * Prepared calls
 *
 * For a model called many times on inputs of one shape: the checks, lookups
 * and allocations of compressRuntimeCall are done once, and each run writes
 * the results where the caller says. A large model empties the caches
 * between two calls, so every instruction of the call path is a cache miss;
 * a run executes few of them.
 *===----------------------------------------------------------------------===*/

/** Calls of one function on arrays of fixed dtypes and shapes. */
typedef struct CompressPreparedCallImpl *CompressPreparedCall;

/** Where result `index` of a run goes: returns memory for
    compressDTypeSize(result->dtype) times the product of result->shape bytes
    (C order), or NULL to fail the run with COMPRESS_ERROR_OUT_OF_MEMORY
    (NULL is also fine for a result without elements). `result->data` is
    NULL; its shape is valid during the call. */
typedef void *(*CompressResultAllocator)(void *context, size_t index,
                                         const CompressArray *result);

/** Prepares calls of `function` on `numInputs` arrays of the dtypes, ranks
    and shapes of `inputs` (checked as compressRuntimeCall checks them; their
    data pointers are not read). Returns NULL on failure. The handle must be
    destroyed before the runtime. */
MLIR_CAPI_EXPORTED CompressPreparedCall compressRuntimePrepareCall(
    CompressRuntime runtime, const char *function, const CompressArray *inputs,
    size_t numInputs, char **error);

/** Calls the prepared function on `inputData` (one pointer per input to
    elements of the prepared dtype and shape, aligned to the element size,
    never modified; NULL only for inputs without elements). Each result is
    copied into the memory `allocate(context, index, result)` returns.
    Calibration recording applies as in compressRuntimeCall. One run at a
    time per handle; handles of one runtime may run concurrently. */
MLIR_CAPI_EXPORTED CompressStatus compressPreparedCallRun(
    CompressPreparedCall call, const void *const *inputData,
    CompressResultAllocator allocate, void *context, char **error);

/** Milliseconds the compiled function took in the last run of `call` that
    called it (the part of a run compressRuntimeTime measures), 0 before
    the first such run or for NULL. */
MLIR_CAPI_EXPORTED double
compressPreparedCallLastRunMs(CompressPreparedCall call);

/** Destroys a prepared call (NULL is ignored). */
MLIR_CAPI_EXPORTED void compressPreparedCallDestroy(CompressPreparedCall call);

/*===----------------------------------------------------------------------===*
 * Calibration
 *
 * For modules instrumented with compress-opt --compress-instrument: between
 * Begin and Write, every compressRuntimeCall records the statistics of the
 * observed tensors (one call = one batch).
 *===----------------------------------------------------------------------===*/

/** Starts recording. Fails if the module has no compress.observe ops or if
    recording has started already. */
MLIR_CAPI_EXPORTED CompressStatus
compressRuntimeBeginCalibration(CompressRuntime runtime, char **error);

/** Writes the statistics recorded so far to the calibration file `path`
    (JSON; Gram matrices as .npy files in a ".gram" directory beside it, see
    docs/calibration.md) and stops recording. On failure recording goes on,
    so that another path can be tried. */
MLIR_CAPI_EXPORTED CompressStatus compressRuntimeWriteCalibration(
    CompressRuntime runtime, const char *path, char **error);

/** Stops recording and discards the statistics (does nothing if not
    recording). */
MLIR_CAPI_EXPORTED void compressRuntimeEndCalibration(CompressRuntime runtime);

#ifdef __cplusplus
}
#endif

#endif /* COMPRESS_C_RUNTIME_H */
