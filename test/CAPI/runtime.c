/*===- runtime.c - Test the C API of the compress runtime ---------*- C -*-===*\
|*                                                                            *|
|* Compiles a small tensor module through compress-c/Runtime.h, inspects     *|
|* signatures, calls functions on arrays and compares the results with       *|
|* values computed here independently, checks that bad calls fail with a     *|
|* status and a message (never abort), times a call, and records calibration *|
|* statistics of an instrumented model (checked with numpy below).           *|
|*                                                                            *|
\*===----------------------------------------------------------------------===*/

// clang-format off
// REQUIRES: host-supports-jit
// RUN: rm -rf %t && mkdir -p %t
// RUN: compress-opt %S/Inputs/calibration-model.mlir --compress-instrument \
// RUN:   -o %t/instrumented.mlir
// RUN: compress-runtime-capi-test %t/instrumented.mlir \
// RUN:   %S/Inputs/calibration-model.mlir %t/calib.json 2>&1 | FileCheck %s
// RUN: %python -c "import json, numpy as np; \
// RUN:   d = json.load(open('%t/calib.json')); t = d['tensors']['f/0']; \
// RUN:   g = np.load('%t/' + t['gram']['file']); \
// RUN:   print(d['version'], d['batches'], t['count'], t['ranges']['minmax'], \
// RUN:         t['gram']['rows'], g.ravel().tolist())" \
// RUN:   | FileCheck %s --check-prefix=CALIB
// Two batches [[1, 2], [3, 4]] and [[-1, 0]]: X^T X = [[11, 14], [14, 20]].
// CALIB: 2 2 6 [-1, 4] 3 [11.0, 14.0, 14.0, 20.0]
// The expected output of the program is at the end of this file.
// clang-format on

#include "compress-c/Runtime.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *kModule =
    "func.func @affine(%x: tensor<?x3xf32>, %b: tensor<2xf32>)\n"
    "    -> tensor<?x2xf32> {\n"
    "  %w = arith.constant dense<[[1.0, 2.0], [0.5, -1.0], [-2.0, 0.25]]>\n"
    "      : tensor<3x2xf32>\n"
    "  %c0 = arith.constant 0 : index\n"
    "  %n = tensor.dim %x, %c0 : tensor<?x3xf32>\n"
    "  %e = tensor.empty(%n) : tensor<?x2xf32>\n"
    "  %bb = linalg.broadcast ins(%b : tensor<2xf32>)\n"
    "      outs(%e : tensor<?x2xf32>) dimensions = [0]\n"
    "  %y = linalg.matmul ins(%x, %w : tensor<?x3xf32>, tensor<3x2xf32>)\n"
    "      outs(%bb : tensor<?x2xf32>) -> tensor<?x2xf32>\n"
    "  return %y : tensor<?x2xf32>\n"
    "}\n"
    "func.func @scale_i32(%x: tensor<4xi32>, %k: i32)\n"
    "    -> (tensor<4xi32>, i32) {\n"
    "  %e = tensor.empty() : tensor<4xi32>\n"
    "  %r = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>,\n"
    "      affine_map<(d0) -> (d0)>], iterator_types = [\"parallel\"]}\n"
    "      ins(%x : tensor<4xi32>) outs(%e : tensor<4xi32>) {\n"
    "  ^bb0(%a: i32, %o: i32):\n"
    "    %m = arith.muli %a, %k : i32\n"
    "    linalg.yield %m : i32\n"
    "  } -> tensor<4xi32>\n"
    "  %k2 = arith.addi %k, %k : i32\n"
    "  return %r, %k2 : tensor<4xi32>, i32\n"
    "}\n"
    "func.func private @hidden(%x: f32) -> f32 {\n"
    "  return %x : f32\n"
    "}\n";

/* The weight and the reference of @affine, computed here. */
static const float kWeight[3][2] = {
    {1.0f, 2.0f}, {0.5f, -1.0f}, {-2.0f, 0.25f}};

static void referenceAffine(const float *x, int64_t rows, const float *b,
                            float *y) {
  for (int64_t r = 0; r < rows; ++r)
    for (int c = 0; c < 2; ++c) {
      float sum = b[c];
      for (int k = 0; k < 3; ++k)
        sum += x[r * 3 + k] * kWeight[k][c];
      y[r * 2 + c] = sum;
    }
}

static int failures = 0;

/* Prints the status and message of an expected failure. */
static void expectFailure(const char *what, CompressStatus status,
                          char *error) {
  printf("%s: status %d: %s\n", what, (int)status,
         error ? error : "(no message)");
  if (status == COMPRESS_OK || !error)
    ++failures;
  compressRuntimeFreeError(error);
}

static void printValueInfo(const char *what, const CompressValueInfo *info) {
  printf("%s: %s rank %lld scalar %d shape [", what,
         compressDTypeName(info->dtype), (long long)info->rank, info->isScalar);
  for (int64_t d = 0; d < info->rank; ++d) {
    if (info->shape[d] == COMPRESS_DYNAMIC_SIZE)
      printf("%s?", d ? " " : "");
    else
      printf("%s%lld", d ? " " : "", (long long)info->shape[d]);
  }
  printf("]\n");
}

static void testSignatures(CompressRuntime rt) {
  size_t numArgs = 0, numResults = 0;
  char *error = NULL;
  CompressStatus status = compressRuntimeGetSignature(rt, "scale_i32", &numArgs,
                                                      &numResults, &error);
  printf("scale_i32: status %d, %zu arguments, %zu results\n", (int)status,
         numArgs, numResults);
  CompressValueInfo info;
  compressRuntimeGetArgument(rt, "affine", 0, &info, NULL);
  printValueInfo("affine argument 0", &info);
  compressRuntimeGetArgument(rt, "scale_i32", 1, &info, NULL);
  printValueInfo("scale_i32 argument 1", &info);
  compressRuntimeGetResult(rt, "affine", 0, &info, NULL);
  printValueInfo("affine result 0", &info);

  status = compressRuntimeGetArgument(rt, "affine", 2, &info, &error);
  expectFailure("argument 2", status, error);
  status =
      compressRuntimeGetSignature(rt, "nope", &numArgs, &numResults, &error);
  expectFailure("unknown function", status, error);
  status =
      compressRuntimeGetSignature(rt, "hidden", &numArgs, &numResults, &error);
  expectFailure("private function", status, error);
}

static void testCalls(CompressRuntime rt) {
  /* @affine on 2 and then 4 rows: the dynamic size follows the input. */
  float x[4][3] = {{1, 2, 3}, {4, 5, 6}, {-1, 0.5f, 2}, {0, 0, 0}};
  float b[2] = {0.5f, -1.0f};
  for (int64_t rows = 2; rows <= 4; rows += 2) {
    int64_t xShape[2] = {rows, 3};
    int64_t bShape[1] = {2};
    CompressArray inputs[2] = {{x, 2, xShape, COMPRESS_DTYPE_F32},
                               {b, 1, bShape, COMPRESS_DTYPE_F32}};
    CompressArray *results = NULL;
    size_t numResults = 0;
    char *error = NULL;
    CompressStatus status = compressRuntimeCall(rt, "affine", inputs, 2,
                                                &results, &numResults, &error);
    if (status != COMPRESS_OK) {
      printf("affine failed: %s\n", error);
      compressRuntimeFreeError(error);
      ++failures;
      return;
    }
    const float *y = (const float *)results[0].data;
    float expected[8];
    referenceAffine(&x[0][0], rows, b, expected);
    float maxDiff = 0;
    printf("affine %lld rows: %zu result, %s [%lld, %lld]:", (long long)rows,
           numResults, compressDTypeName(results[0].dtype),
           (long long)results[0].shape[0], (long long)results[0].shape[1]);
    for (int64_t i = 0; i < rows * 2; ++i) {
      printf(" %g", y[i]);
      maxDiff = fmaxf(maxDiff, fabsf(y[i] - expected[i]));
    }
    printf("; max |y - reference| = %g\n", maxDiff);
    if (maxDiff != 0)
      ++failures;
    compressRuntimeFreeResults(results, numResults);
  }

  /* @scale_i32: a tensor and a scalar in, a tensor and a scalar out. */
  int32_t v[4] = {1, -2, 3, 40};
  int32_t k = 3;
  int64_t vShape[1] = {4};
  CompressArray inputs[2] = {{v, 1, vShape, COMPRESS_DTYPE_I32},
                             {&k, 0, NULL, COMPRESS_DTYPE_I32}};
  CompressArray *results = NULL;
  size_t numResults = 0;
  if (compressRuntimeCall(rt, "scale_i32", inputs, 2, &results, &numResults,
                          NULL) != COMPRESS_OK ||
      numResults != 2) {
    ++failures;
    return;
  }
  const int32_t *r = (const int32_t *)results[0].data;
  printf("scale_i32: [%d %d %d %d] (rank %lld), %d (rank %lld)\n", r[0], r[1],
         r[2], r[3], (long long)results[0].rank, *(int32_t *)results[1].data,
         (long long)results[1].rank);
  compressRuntimeFreeResults(results, numResults);
}

static void testCallErrors(CompressRuntime rt) {
  float x[6] = {0};
  double xd[6] = {0};
  float b[2] = {0};
  int64_t shape23[2] = {2, 3}, shape32[2] = {3, 2}, shape6[1] = {6};
  int64_t shape2[1] = {2};
  int64_t hugeShape[2] = {0, (int64_t)1 << 62};
  int64_t negativeShape[2] = {-1, 3};
  CompressArray bias = {b, 1, shape2, COMPRESS_DTYPE_F32};
  CompressArray *results = (CompressArray *)1;
  size_t numResults = 7;
  char *error = NULL;

  CompressArray one[1] = {{x, 2, shape23, COMPRESS_DTYPE_F32}};
  CompressStatus status =
      compressRuntimeCall(rt, "affine", one, 1, &results, &numResults, &error);
  expectFailure("one input", status, error);
  printf("results after failure: %p %zu\n", (void *)results, numResults);

  CompressArray wrongDtype[2] = {{xd, 2, shape23, COMPRESS_DTYPE_F64}, bias};
  status = compressRuntimeCall(rt, "affine", wrongDtype, 2, &results,
                               &numResults, &error);
  expectFailure("wrong dtype", status, error);

  CompressArray wrongRank[2] = {{x, 1, shape6, COMPRESS_DTYPE_F32}, bias};
  status = compressRuntimeCall(rt, "affine", wrongRank, 2, &results,
                               &numResults, &error);
  expectFailure("wrong rank", status, error);

  CompressArray wrongShape[2] = {{x, 2, shape32, COMPRESS_DTYPE_F32}, bias};
  status = compressRuntimeCall(rt, "affine", wrongShape, 2, &results,
                               &numResults, &error);
  expectFailure("wrong shape", status, error);

  CompressArray huge[2] = {{NULL, 2, hugeShape, COMPRESS_DTYPE_F32}, bias};
  status =
      compressRuntimeCall(rt, "affine", huge, 2, &results, &numResults, &error);
  expectFailure("huge shape", status, error);

  CompressArray negative[2] = {{x, 2, negativeShape, COMPRESS_DTYPE_F32}, bias};
  status = compressRuntimeCall(rt, "affine", negative, 2, &results, &numResults,
                               &error);
  expectFailure("negative size", status, error);

  CompressArray badRank[2] = {{x, 65, shape23, COMPRESS_DTYPE_F32}, bias};
  status = compressRuntimeCall(rt, "affine", badRank, 2, &results, &numResults,
                               &error);
  expectFailure("rank 65", status, error);

  CompressArray badDtype[2] = {{x, 2, shape23, (CompressDType)42}, bias};
  status = compressRuntimeCall(rt, "affine", badDtype, 2, &results, &numResults,
                               &error);
  expectFailure("bad dtype", status, error);

  CompressArray noData[2] = {{NULL, 2, shape23, COMPRESS_DTYPE_F32}, bias};
  status = compressRuntimeCall(rt, "affine", noData, 2, &results, &numResults,
                               &error);
  expectFailure("NULL data", status, error);

  status =
      compressRuntimeCall(rt, "nope", NULL, 0, &results, &numResults, &error);
  expectFailure("call unknown", status, error);

  status = compressRuntimeCall(NULL, "affine", NULL, 0, &results, &numResults,
                               &error);
  expectFailure("NULL handle", status, error);

  /* Errors without a message pointer still return the status. */
  status =
      compressRuntimeCall(rt, "nope", NULL, 0, &results, &numResults, NULL);
  printf("no message pointer: status %d\n", (int)status);
}

static void testTiming(CompressRuntime rt) {
  float x[6] = {1, 2, 3, 4, 5, 6};
  float b[2] = {0.5f, -1.0f};
  int64_t xShape[2] = {2, 3}, bShape[1] = {2};
  CompressArray inputs[2] = {{x, 2, xShape, COMPRESS_DTYPE_F32},
                             {b, 1, bShape, COMPRESS_DTYPE_F32}};
  double median = -1, min = -1;
  char *error = NULL;
  CompressStatus status =
      compressRuntimeTime(rt, "affine", inputs, 2, 5, &median, &min, &error);
  printf("timed: status %d, 0 <= min <= median: %d\n", (int)status,
         min >= 0 && min <= median);
  status =
      compressRuntimeTime(rt, "affine", inputs, 2, 0, &median, &min, &error);
  expectFailure("repeat 0", status, error);
  status = compressRuntimeTime(rt, "affine", inputs, 2, 4294967296ull, &median,
                               &min, &error);
  expectFailure("repeat 2^32", status, error);
}

/* A CompressResultAllocator over fixed buffers: result i goes to
   buffers[i], its shape is remembered; fails when `fail` is set. */
typedef struct {
  char buffers[2][256];
  int64_t rank[2];
  int64_t shape[2][8];
  int dtype[2];
  int fail;
} Results;

static void *allocateResult(void *context, size_t index,
                            const CompressArray *result) {
  Results *results = (Results *)context;
  if (results->fail || index >= 2 || result->rank > 8 || result->data)
    return NULL;
  results->rank[index] = result->rank;
  results->dtype[index] = (int)result->dtype;
  for (int64_t d = 0; d < result->rank; ++d)
    results->shape[index][d] = result->shape[d];
  return results->buffers[index];
}

static void testPreparedCalls(CompressRuntime rt) {
  /* @affine prepared for 3 rows, run on two inputs. */
  int64_t xShape[2] = {3, 3}, bShape[1] = {2};
  CompressArray described[2] = {{NULL, 2, xShape, COMPRESS_DTYPE_F32},
                                {NULL, 1, bShape, COMPRESS_DTYPE_F32}};
  char *error = NULL;
  CompressPreparedCall call =
      compressRuntimePrepareCall(rt, "affine", described, 2, &error);
  if (!call) {
    printf("prepare failed: %s\n", error);
    compressRuntimeFreeError(error);
    ++failures;
    return;
  }
  for (int run = 0; run < 2; ++run) {
    float x[9], b[2] = {0.5f, (float)-run}, expected[6];
    for (int i = 0; i < 9; ++i)
      x[i] = (float)((i * 5 + run * 3) % 7) - 3;
    const void *data[2] = {x, b};
    Results results = {0};
    CompressStatus status =
        compressPreparedCallRun(call, data, allocateResult, &results, &error);
    referenceAffine(x, 3, b, expected);
    const float *y = (const float *)results.buffers[0];
    int mismatches = 0;
    for (int i = 0; i < 6; ++i)
      mismatches += y[i] != expected[i];
    printf("prepared affine run %d: status %d, %s [%lld, %lld], %d "
           "mismatches\n",
           run, (int)status, compressDTypeName(results.dtype[0]),
           (long long)results.shape[0][0], (long long)results.shape[0][1],
           mismatches);
    failures += status != COMPRESS_OK || mismatches != 0;
  }
  printf("last run timed: %d, NULL: %g\n",
         compressPreparedCallLastRunMs(call) > 0,
         compressPreparedCallLastRunMs(NULL));

  /* Failures of a run leave the prepared call usable. */
  float x[10] = {0}, b[2] = {0.5f, 0};
  const void *misaligned[2] = {(const char *)x + 2, b};
  Results results = {0};
  CompressStatus status = compressPreparedCallRun(
      call, misaligned, allocateResult, &results, &error);
  expectFailure("misaligned input", status, error);
  const void *noData[2] = {NULL, b};
  status =
      compressPreparedCallRun(call, noData, allocateResult, &results, &error);
  expectFailure("prepared NULL data", status, error);
  status =
      compressPreparedCallRun(call, NULL, allocateResult, &results, &error);
  expectFailure("NULL input list", status, error);
  const void *data[2] = {x, b};
  status = compressPreparedCallRun(call, data, NULL, &results, &error);
  expectFailure("NULL allocator", status, error);
  results.fail = 1;
  status =
      compressPreparedCallRun(call, data, allocateResult, &results, &error);
  expectFailure("allocator fails", status, error);
  results.fail = 0;
  status = compressPreparedCallRun(call, data, allocateResult, &results, NULL);
  printf("run after failures: status %d, y[0] = %g\n", (int)status,
         *(const float *)results.buffers[0]);
  status =
      compressPreparedCallRun(NULL, data, allocateResult, &results, &error);
  expectFailure("NULL prepared call", status, error);
  compressPreparedCallDestroy(call);
  compressPreparedCallDestroy(NULL);

  /* A scalar in and out: the allocator sees rank 0. */
  int32_t v[4] = {1, -2, 3, 40}, k = -2;
  int64_t vShape[1] = {4};
  CompressArray scaleInputs[2] = {{NULL, 1, vShape, COMPRESS_DTYPE_I32},
                                  {NULL, 0, NULL, COMPRESS_DTYPE_I32}};
  call = compressRuntimePrepareCall(rt, "scale_i32", scaleInputs, 2, NULL);
  const void *scaleData[2] = {v, &k};
  memset(&results, 0, sizeof(results));
  status = call ? compressPreparedCallRun(call, scaleData, allocateResult,
                                          &results, NULL)
                : COMPRESS_ERROR_NOT_FOUND;
  const int32_t *r = (const int32_t *)results.buffers[0];
  printf("prepared scale_i32: status %d, [%d %d %d %d] (rank %lld), %d "
         "(rank %lld)\n",
         (int)status, r[0], r[1], r[2], r[3], (long long)results.rank[0],
         *(const int32_t *)results.buffers[1], (long long)results.rank[1]);
  compressPreparedCallDestroy(call);

  /* Preparing checks what a call checks. */
  int64_t wrongShape[2] = {3, 2};
  CompressArray wrong[2] = {{NULL, 2, wrongShape, COMPRESS_DTYPE_F32},
                            {NULL, 1, bShape, COMPRESS_DTYPE_F32}};
  call = compressRuntimePrepareCall(rt, "affine", wrong, 2, &error);
  expectFailure("prepare wrong shape", call ? COMPRESS_OK : 1, error);
  call = compressRuntimePrepareCall(rt, "affine", described, 1, &error);
  expectFailure("prepare one input", call ? COMPRESS_OK : 1, error);
  call = compressRuntimePrepareCall(rt, "affine", NULL, 2, &error);
  expectFailure("prepare NULL inputs", call ? COMPRESS_OK : 1, error);
  call = compressRuntimePrepareCall(rt, "nope", NULL, 0, &error);
  expectFailure("prepare unknown", call ? COMPRESS_OK : 2, error);
  call = compressRuntimePrepareCall(NULL, "affine", described, 2, &error);
  expectFailure("prepare NULL handle", call ? COMPRESS_OK : 1, error);
}

/* Threads calling @affine on the same handle, each with its own rows. */
typedef struct {
  CompressRuntime rt;
  int seed;
  int mismatches;
  /* Calls through prepared calls of the thread's own (one per row count)
     rather than compressRuntimeCall. */
  int prepared;
} ThreadWork;

static void *callManyTimes(void *arg) {
  ThreadWork *work = (ThreadWork *)arg;
  CompressPreparedCall calls[3] = {NULL, NULL, NULL};
  int64_t bShape[1] = {2}, shapes[3][2] = {{1, 3}, {2, 3}, {3, 3}};
  for (int r = 0; work->prepared && r < 3; ++r) {
    CompressArray described[2] = {{NULL, 2, shapes[r], COMPRESS_DTYPE_F32},
                                  {NULL, 1, bShape, COMPRESS_DTYPE_F32}};
    calls[r] =
        compressRuntimePrepareCall(work->rt, "affine", described, 2, NULL);
    work->mismatches += calls[r] == NULL;
  }
  for (int iteration = 0; iteration < 25; ++iteration) {
    float x[3][3], b[2] = {(float)work->seed, 0.25f}, expected[6];
    for (int i = 0; i < 9; ++i)
      x[i / 3][i % 3] = (float)((work->seed * 7 + iteration + i) % 11) - 5;
    int64_t rows = 1 + (work->seed + iteration) % 3;
    referenceAffine(&x[0][0], rows, b, expected);
    const float *y = NULL;
    CompressArray *results = NULL;
    size_t numResults = 0;
    Results buffers = {0};
    CompressStatus status;
    if (work->prepared) {
      const void *data[2] = {x, b};
      status = calls[rows - 1]
                   ? compressPreparedCallRun(calls[rows - 1], data,
                                             allocateResult, &buffers, NULL)
                   : COMPRESS_ERROR_NOT_FOUND;
      y = (const float *)buffers.buffers[0];
    } else {
      CompressArray inputs[2] = {{x, 2, shapes[rows - 1], COMPRESS_DTYPE_F32},
                                 {b, 1, bShape, COMPRESS_DTYPE_F32}};
      status = compressRuntimeCall(work->rt, "affine", inputs, 2, &results,
                                   &numResults, NULL);
      if (status == COMPRESS_OK)
        y = (const float *)results[0].data;
    }
    if (status != COMPRESS_OK) {
      ++work->mismatches;
      continue;
    }
    for (int64_t i = 0; i < rows * 2; ++i)
      work->mismatches += y[i] != expected[i];
    compressRuntimeFreeResults(results, numResults);
  }
  for (int r = 0; r < 3; ++r)
    compressPreparedCallDestroy(calls[r]);
  return NULL;
}

static void testConcurrentCalls(CompressRuntime rt) {
  enum { kThreads = 4 };
  pthread_t threads[kThreads];
  ThreadWork work[kThreads];
  for (int t = 0; t < kThreads; ++t) {
    work[t].rt = rt;
    work[t].seed = t;
    work[t].mismatches = 0;
    /* Half the threads run prepared calls at the same time. */
    work[t].prepared = t % 2;
    pthread_create(&threads[t], NULL, callManyTimes, &work[t]);
  }
  int mismatches = 0;
  for (int t = 0; t < kThreads; ++t) {
    pthread_join(threads[t], NULL);
    mismatches += work[t].mismatches;
  }
  printf("concurrent calls: %d mismatches\n", mismatches);
  failures += mismatches != 0;
}

static void testCompileErrors(void) {
  char *error = NULL;
  CompressRuntime rt =
      compressRuntimeCompile("func.func @f( {", NULL, 2, &error);
  expectFailure("malformed IR", rt ? COMPRESS_OK : COMPRESS_ERROR_COMPILE,
                error);
  rt = compressRuntimeCompile(kModule, "threads=0", 2, &error);
  expectFailure("threads=0", rt ? COMPRESS_OK : COMPRESS_ERROR_INVALID_ARGUMENT,
                error);
  rt = compressRuntimeCompile(kModule, "unknownopt=1", 2, &error);
  expectFailure("unknown option",
                rt ? COMPRESS_OK : COMPRESS_ERROR_INVALID_ARGUMENT, error);
  rt = compressRuntimeCompile(kModule, NULL, 7, &error);
  expectFailure("-O7", rt ? COMPRESS_OK : COMPRESS_ERROR_INVALID_ARGUMENT,
                error);
  rt = compressRuntimeCompileFile("/does/not/exist.mlir", NULL, 2, &error);
  expectFailure("missing file", rt ? COMPRESS_OK : COMPRESS_ERROR_IO, error);
  rt = compressRuntimeCompile(NULL, NULL, 2, &error);
  expectFailure("NULL text", rt ? COMPRESS_OK : COMPRESS_ERROR_INVALID_ARGUMENT,
                error);
}

/* Calibrates the instrumented model at `path` on two batches. */
static void testCalibration(const char *path, const char *plainPath,
                            const char *out) {
  char *error = NULL;
  CompressRuntime plain =
      compressRuntimeCompileFile(plainPath, NULL, 2, &error);
  if (!plain) {
    printf("compile failed: %s\n", error);
    ++failures;
    return;
  }
  CompressStatus status = compressRuntimeBeginCalibration(plain, &error);
  expectFailure("uninstrumented", status, error);
  compressRuntimeDestroy(plain);

  CompressRuntime rt = compressRuntimeCompileFile(path, NULL, 2, &error);
  if (!rt) {
    printf("compile failed: %s\n", error);
    ++failures;
    return;
  }
  status = compressRuntimeWriteCalibration(rt, out, &error);
  expectFailure("write before begin", status, error);
  printf("begin: %d\n", (int)compressRuntimeBeginCalibration(rt, NULL));
  status = compressRuntimeBeginCalibration(rt, &error);
  expectFailure("begin twice", status, error);

  float batch0[4] = {1, 2, 3, 4};
  float batch1[2] = {-1, 0};
  int64_t shape0[2] = {2, 2}, shape1[2] = {1, 2};
  CompressArray in0 = {batch0, 2, shape0, COMPRESS_DTYPE_F32};
  CompressArray *results = NULL;
  size_t numResults = 0;
  if (compressRuntimeCall(rt, "f", &in0, 1, &results, &numResults, NULL))
    ++failures;
  compressRuntimeFreeResults(results, numResults);
  /* The second batch runs through a prepared call: recorded the same way. */
  CompressArray described1 = {NULL, 2, shape1, COMPRESS_DTYPE_F32};
  CompressPreparedCall call =
      compressRuntimePrepareCall(rt, "f", &described1, 1, NULL);
  const void *data1[1] = {batch1};
  Results prepared = {0};
  if (!call ||
      compressPreparedCallRun(call, data1, allocateResult, &prepared, NULL))
    ++failures;
  compressPreparedCallDestroy(call);

  status =
      compressRuntimeWriteCalibration(rt, "/does/not/exist/c.json", &error);
  expectFailure("unwritable", status, error);
  printf("write: %d\n", (int)compressRuntimeWriteCalibration(rt, out, NULL));
  status = compressRuntimeWriteCalibration(rt, out, &error);
  expectFailure("write twice", status, error);
  compressRuntimeDestroy(rt);
}

int main(int argc, char **argv) {
  /* Keep stdout and stderr in order. */
  setvbuf(stdout, NULL, _IONBF, 0);
  if (argc != 4) {
    fprintf(stderr, "usage: %s INSTRUMENTED.mlir PLAIN.mlir CALIBRATION.json\n",
            argv[0]);
    return 2;
  }
  char *error = NULL;
  CompressRuntime rt = compressRuntimeCompile(kModule, "cpu=x86-64", 2, &error);
  if (!rt) {
    printf("compile failed: %s\n", error);
    compressRuntimeFreeError(error);
    return 1;
  }
  testSignatures(rt);
  testCalls(rt);
  testCallErrors(rt);
  testTiming(rt);
  testConcurrentCalls(rt);
  testPreparedCalls(rt);
  compressRuntimeDestroy(rt);
  testCompileErrors();
  testCalibration(argv[1], argv[2], argv[3]);
  printf("failures: %d\n", failures);
  return failures != 0;
}

// clang-format off
// The expected output, in order.
//
// testSignatures:
// CHECK: scale_i32: status 0, 2 arguments, 2 results
// CHECK: affine argument 0: float32 rank 2 scalar 0 shape [? 3]
// CHECK: scale_i32 argument 1: int32 rank 0 scalar 1 shape []
// CHECK: affine result 0: float32 rank 2 scalar 0 shape [? 2]
// CHECK: argument 2: status 1: '@affine' has no argument #2 (it has 2)
// CHECK: unknown function: status 2: function '@nope' not found in '<string>'
// CHECK: private function: status 2: function '@hidden' is private; the runtime calls public functions
//
// testCalls: y = x w + b, with w = [[1, 2], [0.5, -1], [-2, 0.25]] and
// b = [0.5, -1]:
//   [1 2 3]    -> [1 + 1 - 6 + 0.5, 2 - 2 + 0.75 - 1]        = [-3.5, -0.25]
//   [4 5 6]    -> [4 + 2.5 - 12 + 0.5, 8 - 5 + 1.5 - 1]      = [-5, 3.5]
//   [-1 0.5 2] -> [-1 + 0.25 - 4 + 0.5, -2 - 0.5 + 0.5 - 1]  = [-4.25, -3]
//   [0 0 0]    -> b                                           = [0.5, -1]
// CHECK: affine 2 rows: 1 result, float32 [2, 2]: -3.5 -0.25 -5 3.5; max |y - reference| = 0
// CHECK: affine 4 rows: 1 result, float32 [4, 2]: -3.5 -0.25 -5 3.5 -4.25 -3 0.5 -1; max |y - reference| = 0
// [1 -2 3 40] * 3 and 3 + 3:
// CHECK: scale_i32: [3 -6 9 120] (rank 1), 6 (rank 0)
//
// testCallErrors:
// CHECK: one input: status 1: '@affine' takes 2 argument(s) but 1 were given
// CHECK: results after failure: (nil) 0
// CHECK: wrong dtype: status 1: argument #0 has dtype float64 but '@affine' expects float32 for tensor<?x3xf32>
// CHECK: wrong rank: status 1: argument #0 has shape [6] but '@affine' expects tensor<?x3xf32>
// CHECK: wrong shape: status 1: argument #0 has shape [3x2] but '@affine' expects tensor<?x3xf32>
// CHECK: huge shape: status 1: argument #0: shape [0x4611686018427387904] is too large (the product of its dimensions, zeros counted as 1, must be at most 4294967296)
// CHECK: negative size: status 1: argument #0: shape [-1x3] has a negative dimension
// CHECK: rank 65: status 1: argument #0 has rank 65 (expected 0 to 64)
// CHECK: bad dtype: status 1: argument #0 has an unknown dtype 42
// CHECK: NULL data: status 1: argument #0 has 24 bytes of data but its data pointer is NULL
// CHECK: call unknown: status 2: function '@nope' not found in '<string>'
// CHECK: NULL handle: status 1: the runtime handle is NULL
// CHECK: no message pointer: status 2
//
// testTiming:
// CHECK: timed: status 0, 0 <= min <= median: 1
// CHECK: repeat 0: status 1: the repeat count must be between 1 and 1000000, not 0
// CHECK: repeat 2^32: status 1: the repeat count must be between 1 and 1000000, not 4294967296
//
// testConcurrentCalls: 4 threads x 25 calls on one handle, two of them
// through prepared calls.
// CHECK: concurrent calls: 0 mismatches
//
// testPreparedCalls: the same products as testCalls, on 3 rows.
// CHECK: prepared affine run 0: status 0, float32 [3, 2], 0 mismatches
// CHECK: prepared affine run 1: status 0, float32 [3, 2], 0 mismatches
// CHECK: last run timed: 1, NULL: 0
// CHECK: misaligned input: status 1: argument #0 is not aligned to its elements
// CHECK: prepared NULL data: status 1: argument #0 has 36 bytes of data but its data pointer is NULL
// CHECK: NULL input list: status 1: the input data pointer is NULL
// CHECK: NULL allocator: status 1: the result allocator is NULL
// CHECK: allocator fails: status 6: no memory for result #0
// CHECK: run after failures: status 0, y[0] = 0.5
// CHECK: NULL prepared call: status 1: the prepared call handle is NULL
// [1 -2 3 40] * -2 and -2 + -2:
// CHECK: prepared scale_i32: status 0, [-2 4 -6 -80] (rank 1), -4 (rank 0)
// CHECK: prepare wrong shape: status 1: argument #0 has shape [3x2] but '@affine' expects tensor<?x3xf32>
// CHECK: prepare one input: status 1: '@affine' takes 2 argument(s) but 1 were given
// CHECK: prepare NULL inputs: status 1: the inputs pointer is NULL but 2 input(s) were given
// CHECK: prepare unknown: status 2: function '@nope' not found in '<string>'
// CHECK: prepare NULL handle: status 1: the runtime handle is NULL
//
// testCompileErrors (the MLIR diagnostics follow the message):
// CHECK: malformed IR: status 3: cannot parse '<string>':
// CHECK-NEXT: <string>:1:14: error:
// CHECK: threads=0: status 1: invalid compress-to-llvm options 'threads=0':
// CHECK-NEXT: compress-to-llvm: 'threads' must be at least 1
// CHECK: unknown option: status 1: invalid compress-to-llvm options 'unknownopt=1':
// CHECK-NEXT: failed to add `compress-to-llvm` with options `unknownopt=1`
// CHECK: -O7: status 1: the optimization level must be 0, 1, 2 or 3, not 7
// CHECK: missing file: status 5: cannot open input file '/does/not/exist.mlir': {{[Nn]}}o such file or directory
// CHECK: NULL text: status 1: the module text is NULL
//
// testCalibration:
// CHECK: uninstrumented: status 1: '{{.*}}calibration-model.mlir' records nothing (no compress.observe ops; instrument it with compress-opt --compress-instrument)
// CHECK: write before begin: status 1: calibration is not being recorded (call compressRuntimeBeginCalibration first)
// CHECK: begin: 0
// CHECK: begin twice: status 1: calibration is being recorded already
// CHECK: unwritable: status 5: cannot open calibration file '/does/not/exist/c.json': {{.*}}
// CHECK: write: 0
// CHECK: write twice: status 1: calibration is not being recorded
//
// CHECK: failures: 0
