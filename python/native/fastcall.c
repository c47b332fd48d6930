/*===- fastcall.c - Calls of compiled models from Python ----------*- C -*-===*\
|*                                                                            *|
|* The CPython extension compress._fastcall. A PreparedCall runs a function   *|
|* of the runtime library (compress-c/Runtime.h) on numpy arrays of the       *|
|* shapes it was prepared for, through compressPreparedCallRun: no ctypes     *|
|* structures, no Python-level checks, the results written into numpy         *|
|* arrays of a small pool (an array is written again only once the pool       *|
|* holds its only reference: after a large model has run, making and          *|
|* freeing a numpy array costs more than the rest of the call). Model, the    *|
|* base class of compress.CompiledModel, runs an instance's PreparedCall      *|
|* straight from the call, without a Python frame. Arrays that are not        *|
|* exactly what was prepared (another dtype, shape or layout, a list), or a   *|
|* call running on another thread, go to the package's general path, which    *|
|* converts or explains.                                                      *|
|*                                                                            *|
\*===----------------------------------------------------------------------===*/

#define PY_SSIZE_T_CLEAN
#include <Python.h>

#define NPY_NO_DEPRECATED_API NPY_1_7_API_VERSION
#include <numpy/arrayobject.h>

#include "structmember.h"

#include "compress-c/Runtime.h"

#include <string.h>

/* Largest rank of a prepared input (the runtime's own limit). */
#define MAX_RANK 64
/* Largest rank of a result (the runtime's limit for results). */
#define MAX_RESULT_RANK 8
/* Arrays kept per result: two let `y = call(x)` in a loop reuse the array
   of the call before last, which the assignment released. */
#define POOL_SIZE 2

/* A prepared call. Its arrays live in the object's own trailing memory (one
   allocation), so that a call, which after a large model finds nothing in
   the caches or the TLB, reads its state from as few lines and pages as
   can be. */
typedef struct {
  PyObject_VAR_HEAD vectorcallfunc vectorcall;
  CompressPreparedCall call;
  /* Owns the runtime the call belongs to (kept alive while the call is). */
  PyObject *owner;
  /* Raised with the runtime's message when a run fails. */
  PyObject *errorType;
  Py_ssize_t numInputs, numResults;
  /* Per input: the numpy type number it must have, its rank, and its sizes
     at shapes + shapeOffsets[i]. */
  int *inputTypes;
  int *inputRanks;
  Py_ssize_t *shapeOffsets;
  npy_intp *shapes;
  /* Per result: the numpy dtype of its arrays (a reference). */
  PyArray_Descr **resultDescrs;
  /* Per result: the rank (-1 before the first run) and sizes it had in the
     last run, at resultDims + r * MAX_RESULT_RANK. */
  int *resultRanks;
  npy_intp *resultDims;
  /* Per result: POOL_SIZE arrays (or NULL) made in earlier runs, at
     pool + r * POOL_SIZE. */
  PyObject **pool;
  /* Scratch of one run: the input pointers and the result arrays (new
     references). */
  const void **data;
  PyObject **results;
  /* Set while a run is in progress (the GIL is released during it). */
  int busy;
  /* Weak references to the object (the runtime's owner keeps some, to
     close the calls before it destroys the runtime). */
  PyObject *weakrefs;
} PreparedCallObject;

/* What the allocator callback needs during one run. */
typedef struct {
  PreparedCallObject *self;
  PyThreadState *thread;
} RunContext;

/* Whether `array` has `rank` and `dims`. */
static int hasShape(PyArrayObject *array, int rank, const npy_intp *dims) {
  return PyArray_NDIM(array) == rank &&
         memcmp(PyArray_DIMS(array), dims, (size_t)rank * sizeof(npy_intp)) ==
             0;
}

/* Whether pooled `object` may be written and returned again: the pool
   holds its only reference (no view, buffer or weak reference either), and
   it still is a writeable, C-ordered array of `descr` and the shape that
   owns its memory. */
static int reusable(PyObject *object, PyArray_Descr *descr, int rank,
                    const npy_intp *dims) {
  if (!object || Py_REFCNT(object) != 1)
    return 0;
  PyArrayObject *array = (PyArrayObject *)object;
  int required =
      NPY_ARRAY_C_CONTIGUOUS | NPY_ARRAY_WRITEABLE | NPY_ARRAY_OWNDATA;
  return ((PyArrayObject_fields *)array)->weakreflist == NULL &&
         (PyArray_FLAGS(array) & required) == required &&
         PyArray_DESCR(array) == descr && hasShape(array, rank, dims);
}

/* An array for result `r` of `rank` and `dims` (a new reference, or NULL
   with an exception): a reusable one of the pool, else a new one, which
   takes the place of one the caller still holds (or of the first). */
static PyObject *resultArray(PreparedCallObject *self, Py_ssize_t r, int rank,
                             npy_intp *dims) {
  PyObject **pool = self->pool + r * POOL_SIZE;
  PyArray_Descr *descr = self->resultDescrs[r];
  /* The new array's place: an empty one, else one whose array the caller
     still holds, else the first. */
  int empty = -1, held = -1;
  for (int k = 0; k < POOL_SIZE; ++k) {
    if (reusable(pool[k], descr, rank, dims)) {
      Py_INCREF(pool[k]);
      return pool[k];
    }
    if (!pool[k] && empty < 0)
      empty = k;
    else if (pool[k] && Py_REFCNT(pool[k]) > 1 && held < 0)
      held = k;
  }
  int slot = empty >= 0 ? empty : held >= 0 ? held : 0;
  /* PyArray_NewFromDescr steals a reference to descr. */
  Py_INCREF(descr);
  PyObject *array = PyArray_NewFromDescr(&PyArray_Type, descr, rank, dims, NULL,
                                         NULL, 0, NULL);
  if (!array)
    return NULL;
  Py_XSETREF(pool[slot], array);
  Py_INCREF(array);
  return array;
}

/* Where result `index` goes. The array picked before the run (of the
   result's shape in the last run) when the shape is the same, else, with
   the GIL held again, one of the shape the run returned. */
static void *allocateResult(void *opaque, size_t index,
                            const CompressArray *result) {
  RunContext *context = (RunContext *)opaque;
  PreparedCallObject *self = context->self;
  if ((Py_ssize_t)index >= self->numResults || result->rank > MAX_RESULT_RANK)
    return NULL;
  int rank = (int)result->rank;
  npy_intp dims[MAX_RESULT_RANK];
  for (int d = 0; d < rank; ++d)
    dims[d] = (npy_intp)result->shape[d];
  PyArrayObject *picked = (PyArrayObject *)self->results[index];
  if (picked && hasShape(picked, rank, dims))
    return PyArray_DATA(picked);

  if ((size_t)self->resultDescrs[index]->elsize !=
      compressDTypeSize(result->dtype))
    return NULL;
  PyEval_RestoreThread(context->thread);
  Py_CLEAR(self->results[index]);
  PyObject *array = resultArray(self, (Py_ssize_t)index, rank, dims);
  void *data = NULL;
  if (array) {
    self->results[index] = array;
    self->resultRanks[index] = rank;
    memcpy(self->resultDims + index * MAX_RESULT_RANK, dims,
           (size_t)rank * sizeof(npy_intp));
    data = PyArray_DATA((PyArrayObject *)array);
  }
  context->thread = PyEval_SaveThread();
  return data;
}

/* Whether `object` is exactly the array input `i` was prepared for. */
static int matches(const PreparedCallObject *self, Py_ssize_t i,
                   PyObject *object) {
  if (!PyArray_CheckExact(object))
    return 0;
  PyArrayObject *array = (PyArrayObject *)object;
  int type = PyArray_TYPE(array);
  if (type != self->inputTypes[i] &&
      !PyArray_EquivTypenums(type, self->inputTypes[i]))
    return 0;
  int required = NPY_ARRAY_C_CONTIGUOUS | NPY_ARRAY_ALIGNED;
  if ((PyArray_FLAGS(array) & required) != required ||
      !PyArray_ISNOTSWAPPED(array))
    return 0;
  int rank = self->inputRanks[i];
  return PyArray_NDIM(array) == rank &&
         memcmp(PyArray_DIMS(array), self->shapes + self->shapeOffsets[i],
                (size_t)rank * sizeof(npy_intp)) == 0;
}

static void clearResults(PreparedCallObject *self) {
  if (!self->results)
    return;
  for (Py_ssize_t r = 0; r < self->numResults; ++r)
    Py_CLEAR(self->results[r]);
}

static void clearPool(PreparedCallObject *self) {
  if (!self->pool)
    return;
  for (Py_ssize_t k = 0; k < self->numResults * POOL_SIZE; ++k)
    Py_CLEAR(self->pool[k]);
}

/* The results (one array, or a tuple of them) of the function on the
   `count` arrays at `arrays`, or None when they are not exactly what was
   prepared or another thread is running this call; NULL with an exception
   if the run fails. */
static PyObject *run(PreparedCallObject *self, PyObject *const *arrays,
                     Py_ssize_t count) {
  if (!self->call || self->busy || count != self->numInputs)
    Py_RETURN_NONE;
  for (Py_ssize_t i = 0; i < self->numInputs; ++i) {
    if (!matches(self, i, arrays[i]))
      Py_RETURN_NONE;
    self->data[i] = PyArray_DATA((PyArrayObject *)arrays[i]);
  }

  /* Arrays for the results, of their shapes in the last run, picked now
     so that the run needs the GIL again only if a shape changes. */
  for (Py_ssize_t r = 0; r < self->numResults; ++r) {
    if (self->resultRanks[r] < 0)
      continue;
    self->results[r] = resultArray(self, r, self->resultRanks[r],
                                   self->resultDims + r * MAX_RESULT_RANK);
    if (!self->results[r]) {
      clearResults(self);
      return NULL;
    }
  }

  /* The caller's references keep the inputs alive while the GIL is
     released. */
  self->busy = 1;
  char *error = NULL;
  RunContext context = {self, PyEval_SaveThread()};
  CompressStatus status = compressPreparedCallRun(
      self->call, self->data, allocateResult, &context, &error);
  PyEval_RestoreThread(context.thread);
  self->busy = 0;

  if (status != COMPRESS_OK) {
    clearResults(self);
    if (!PyErr_Occurred())
      PyErr_SetString(self->errorType,
                      error ? error : "the prepared call failed");
    compressRuntimeFreeError(error);
    return NULL;
  }
  if (self->numResults == 1) {
    PyObject *result = self->results[0];
    self->results[0] = NULL;
    return result;
  }
  PyObject *tuple = PyTuple_New(self->numResults);
  if (!tuple) {
    clearResults(self);
    return NULL;
  }
  for (Py_ssize_t r = 0; r < self->numResults; ++r) {
    PyTuple_SET_ITEM(tuple, r, self->results[r]);
    self->results[r] = NULL;
  }
  return tuple;
}

/* call(arrays): run() on the tuple `arrays`. */
static PyObject *preparedCallVectorcall(PyObject *callable,
                                        PyObject *const *args, size_t nargsf,
                                        PyObject *kwnames) {
  Py_ssize_t nargs = PyVectorcall_NARGS(nargsf);
  if (nargs != 1 || kwnames || !PyTuple_Check(args[0])) {
    PyErr_SetString(PyExc_TypeError,
                    "a PreparedCall takes one tuple of arrays");
    return NULL;
  }
  return run((PreparedCallObject *)callable, &PyTuple_GET_ITEM(args[0], 0),
             PyTuple_GET_SIZE(args[0]));
}

/* Releases the prepared call (later calls return None). The runtime's
   owner calls this before it destroys the runtime. */
static PyObject *preparedCallClose(PyObject *object,
                                   PyObject *Py_UNUSED(ignored)) {
  PreparedCallObject *self = (PreparedCallObject *)object;
  if (self->busy) {
    PyErr_SetString(PyExc_RuntimeError,
                    "the prepared call is running on another thread");
    return NULL;
  }
  compressPreparedCallDestroy(self->call);
  self->call = NULL;
  clearPool(self);
  Py_RETURN_NONE;
}

static void preparedCallDealloc(PyObject *object) {
  PreparedCallObject *self = (PreparedCallObject *)object;
  if (self->weakrefs)
    PyObject_ClearWeakRefs(object);
  compressPreparedCallDestroy(self->call);
  clearResults(self);
  clearPool(self);
  for (Py_ssize_t r = 0; self->resultDescrs && r < self->numResults; ++r)
    Py_XDECREF(self->resultDescrs[r]);
  Py_XDECREF(self->owner);
  Py_XDECREF(self->errorType);
  Py_TYPE(object)->tp_free(object);
}

/* The numpy type number of dtype-like `object`, or -1 with an exception. */
static int typeNumber(PyObject *object) {
  PyArray_Descr *descr = NULL;
  if (!PyArray_DescrConverter(object, &descr))
    return -1;
  int type = descr->type_num;
  Py_DECREF(descr);
  return type;
}

/* Reads the inputs argument of PreparedCall(): a sequence of (shape, numpy
   dtype, runtime dtype code) into the object and `described`. */
static int readInputs(PreparedCallObject *self, PyObject *inputs,
                      CompressArray *described, int64_t *sizes) {
  Py_ssize_t offset = 0;
  for (Py_ssize_t i = 0; i < self->numInputs; ++i) {
    PyObject *item = PySequence_Fast_GET_ITEM(inputs, i);
    PyObject *shape = NULL;
    PyObject *dtype = NULL;
    int code = 0;
    if (!PyArg_ParseTuple(item, "OOi", &shape, &dtype, &code))
      return -1;
    PyObject *sizesSeq = PySequence_Fast(shape, "a shape must be a sequence");
    if (!sizesSeq)
      return -1;
    Py_ssize_t rank = PySequence_Fast_GET_SIZE(sizesSeq);
    if (rank > MAX_RANK) {
      Py_DECREF(sizesSeq);
      PyErr_Format(PyExc_ValueError, "input %zd has rank %zd (at most %d)", i,
                   rank, MAX_RANK);
      return -1;
    }
    for (Py_ssize_t d = 0; d < rank; ++d) {
      long long size = PyLong_AsLongLong(PySequence_Fast_GET_ITEM(sizesSeq, d));
      if (size == -1 && PyErr_Occurred()) {
        Py_DECREF(sizesSeq);
        return -1;
      }
      self->shapes[offset + d] = (npy_intp)size;
      sizes[offset + d] = (int64_t)size;
    }
    Py_DECREF(sizesSeq);
    int type = typeNumber(dtype);
    if (type < 0)
      return -1;
    PyArray_Descr *descr = PyArray_DescrFromType(type);
    if (!descr)
      return -1;
    int elementBytes = descr->elsize;
    Py_DECREF(descr);
    if ((size_t)elementBytes != compressDTypeSize((CompressDType)code)) {
      PyErr_Format(PyExc_ValueError,
                   "input %zd: arrays of %d-byte elements cannot be passed "
                   "as runtime dtype %d",
                   i, elementBytes, code);
      return -1;
    }
    self->inputTypes[i] = type;
    self->inputRanks[i] = (int)rank;
    self->shapeOffsets[i] = offset;
    described[i].data = NULL;
    described[i].rank = rank;
    described[i].shape = sizes + offset;
    described[i].dtype = (CompressDType)code;
    offset += rank;
  }
  return 0;
}

/* PreparedCall(runtime, function, inputs, results, owner, error_type):
   `runtime` is the address of a CompressRuntime, `inputs` a sequence of
   (shape, numpy dtype the array must have, runtime dtype code), `results`
   the numpy dtypes of the arrays returned, `owner` an object that keeps the
   runtime alive, `error_type` the exception raised for a failed run. */
static PyObject *preparedCallNew(PyTypeObject *type, PyObject *args,
                                 PyObject *kwargs) {
  unsigned long long address = 0;
  const char *function = NULL;
  PyObject *inputs = NULL, *results = NULL, *owner = NULL, *errorType = NULL;
  if (kwargs && PyDict_GET_SIZE(kwargs) != 0) {
    PyErr_SetString(PyExc_TypeError, "PreparedCall takes no keywords");
    return NULL;
  }
  if (!PyArg_ParseTuple(args, "KsOOOO", &address, &function, &inputs, &results,
                        &owner, &errorType))
    return NULL;
  if (!address) {
    PyErr_SetString(PyExc_ValueError, "the runtime handle is NULL");
    return NULL;
  }
  PyObject *inputSeq = PySequence_Fast(inputs, "inputs must be a sequence");
  if (!inputSeq)
    return NULL;
  PyObject *resultSeq = PySequence_Fast(results, "results must be a sequence");
  if (!resultSeq) {
    Py_DECREF(inputSeq);
    return NULL;
  }
  Py_ssize_t numInputs = PySequence_Fast_GET_SIZE(inputSeq);
  Py_ssize_t numResults = PySequence_Fast_GET_SIZE(resultSeq);
  size_t n = (size_t)numInputs + 1, m = (size_t)numResults + 1;
  size_t maxSizes = n * MAX_RANK;
  /* The arrays, in the order a call reads them, each 8-byte aligned. */
  size_t pointers = n + m + m * POOL_SIZE + m;
  size_t words = n + m * MAX_RESULT_RANK + maxSizes;
  size_t ints = m + 2 * n;
  PreparedCallObject *self = (PreparedCallObject *)type->tp_alloc(
      type, (Py_ssize_t)(pointers * sizeof(void *) + words * 8 +
                         ints * sizeof(int) + 8));
  CompressArray *described = NULL;
  int64_t *sizes = NULL;
  char *error = NULL;
  if (!self)
    goto fail;
  char *cursor = (char *)self + ((sizeof(PreparedCallObject) + 7) & ~(size_t)7);
  self->data = (const void **)cursor;
  self->results = (PyObject **)(void *)(cursor + n * sizeof(void *));
  self->pool = self->results + m;
  self->resultDescrs = (PyArray_Descr **)(self->pool + m * POOL_SIZE);
  self->shapeOffsets = (Py_ssize_t *)(self->resultDescrs + m);
  self->resultDims = (npy_intp *)(self->shapeOffsets + n);
  self->shapes = self->resultDims + m * MAX_RESULT_RANK;
  self->resultRanks = (int *)(self->shapes + maxSizes);
  self->inputTypes = self->resultRanks + m;
  self->inputRanks = self->inputTypes + n;
  self->vectorcall = preparedCallVectorcall;
  self->numInputs = numInputs;
  self->numResults = numResults;
  Py_INCREF(owner);
  self->owner = owner;
  Py_INCREF(errorType);
  self->errorType = errorType;
  described = PyMem_Calloc(n, sizeof(CompressArray));
  sizes = PyMem_Calloc(maxSizes, sizeof(int64_t));
  if (!described || !sizes) {
    PyErr_NoMemory();
    goto fail;
  }
  if (readInputs(self, inputSeq, described, sizes) < 0)
    goto fail;
  for (Py_ssize_t r = 0; r < self->numResults; ++r) {
    self->resultRanks[r] = -1;
    if (!PyArray_DescrConverter(PySequence_Fast_GET_ITEM(resultSeq, r),
                                &self->resultDescrs[r]))
      goto fail;
  }
  self->call =
      compressRuntimePrepareCall((CompressRuntime)(uintptr_t)address, function,
                                 described, (size_t)self->numInputs, &error);
  if (!self->call) {
    PyErr_SetString(errorType, error ? error : "cannot prepare the call");
    compressRuntimeFreeError(error);
    goto fail;
  }
  PyMem_Free(described);
  PyMem_Free(sizes);
  Py_DECREF(inputSeq);
  Py_DECREF(resultSeq);
  return (PyObject *)self;

fail:
  PyMem_Free(described);
  PyMem_Free(sizes);
  Py_DECREF(inputSeq);
  Py_DECREF(resultSeq);
  Py_XDECREF(self);
  return NULL;
}

/* last_run_ms: milliseconds the compiled function took in the last run. */
static PyObject *preparedCallLastRunMs(PyObject *object, void *closure) {
  PreparedCallObject *self = (PreparedCallObject *)object;
  return PyFloat_FromDouble(compressPreparedCallLastRunMs(self->call));
}

static PyMethodDef preparedCallMethods[] = {
    {"close", preparedCallClose, METH_NOARGS,
     "Releases the prepared call; later calls return None."},
    {NULL, NULL, 0, NULL}};

static PyGetSetDef preparedCallGetSet[] = {
    {"last_run_ms", preparedCallLastRunMs, NULL,
     "Milliseconds the compiled function took in the last run (the part "
     "the runtime's timing measures); 0 before the first run or after "
     "close().",
     NULL},
    {NULL, NULL, NULL, NULL, NULL}};

static PyTypeObject PreparedCallType = {
    PyVarObject_HEAD_INIT(NULL, 0).tp_name = "compress._fastcall.PreparedCall",
    .tp_basicsize = sizeof(PreparedCallObject),
    .tp_itemsize = 1,
    .tp_dealloc = preparedCallDealloc,
    .tp_vectorcall_offset = offsetof(PreparedCallObject, vectorcall),
    .tp_weaklistoffset = offsetof(PreparedCallObject, weakrefs),
    .tp_call = PyVectorcall_Call,
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_VECTORCALL,
    .tp_doc = "A function of a compiled module prepared for arrays of fixed "
              "dtypes and shapes: call(arrays) returns its results, or None "
              "when `arrays` (a tuple) is not exactly what was prepared.",
    .tp_methods = preparedCallMethods,
    .tp_getset = preparedCallGetSet,
    .tp_new = preparedCallNew,
};

/* The base class of compress.CompiledModel: calling an instance runs its
   prepared call (the `_fast` attribute) on the arguments straight from C,
   without a Python frame, and hands anything else to the Python method
   `_call_general`. */
typedef struct {
  PyObject_HEAD vectorcallfunc vectorcall;
  PyObject *fast;
} ModelObject;

static PyObject *modelVectorcall(PyObject *callable, PyObject *const *args,
                                 size_t nargsf, PyObject *kwnames) {
  ModelObject *self = (ModelObject *)callable;
  Py_ssize_t nargs = PyVectorcall_NARGS(nargsf);
  if (!kwnames && self->fast && Py_IS_TYPE(self->fast, &PreparedCallType)) {
    PyObject *results = run((PreparedCallObject *)self->fast, args, nargs);
    if (results != Py_None)
      return results;
    Py_DECREF(results);
  }
  /* self._call_general(*args, **kwargs), with self in front of the
     arguments. */
  static PyObject *name;
  if (!name && !(name = PyUnicode_InternFromString("_call_general")))
    return NULL;
  Py_ssize_t total = nargs + (kwnames ? PyTuple_GET_SIZE(kwnames) : 0);
  PyObject *small[8];
  PyObject **stack =
      total + 1 <= 8 ? small
                     : PyMem_Malloc((size_t)(total + 1) * sizeof(PyObject *));
  if (!stack)
    return PyErr_NoMemory();
  stack[0] = callable;
  memcpy(stack + 1, args, (size_t)total * sizeof(PyObject *));
  PyObject *result =
      PyObject_VectorcallMethod(name, stack, (size_t)(nargs + 1), kwnames);
  if (stack != small)
    PyMem_Free(stack);
  return result;
}

static PyObject *modelNew(PyTypeObject *type, PyObject *args,
                          PyObject *kwargs) {
  ModelObject *self = (ModelObject *)type->tp_alloc(type, 0);
  if (self)
    self->vectorcall = modelVectorcall;
  return (PyObject *)self;
}

static void modelDealloc(PyObject *object) {
  Py_CLEAR(((ModelObject *)object)->fast);
  Py_TYPE(object)->tp_free(object);
}

static PyMemberDef modelMembers[] = {
    {"_fast", T_OBJECT, offsetof(ModelObject, fast), 0,
     "The PreparedCall an instance's calls try first (None: none)."},
    {NULL, 0, 0, 0, NULL}};

static PyTypeObject ModelType = {
    PyVarObject_HEAD_INIT(NULL, 0).tp_name = "compress._fastcall.Model",
    .tp_basicsize = sizeof(ModelObject),
    .tp_dealloc = modelDealloc,
    .tp_vectorcall_offset = offsetof(ModelObject, vectorcall),
    .tp_call = PyVectorcall_Call,
    .tp_flags =
        Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE | Py_TPFLAGS_HAVE_VECTORCALL,
    .tp_doc = "Base class of compiled models: a call runs the prepared call "
              "in `_fast` when the arguments are exactly what it was "
              "prepared for, else self._call_general(*args).",
    .tp_members = modelMembers,
    .tp_new = modelNew,
};

static struct PyModuleDef fastcallModule = {
    PyModuleDef_HEAD_INIT, .m_name = "_fastcall",
    .m_doc = "Calls of compiled models through the runtime's prepared calls.",
    .m_size = -1};

PyMODINIT_FUNC PyInit__fastcall(void) {
  import_array();
  if (PyType_Ready(&PreparedCallType) < 0 || PyType_Ready(&ModelType) < 0)
    return NULL;
  PyObject *module = PyModule_Create(&fastcallModule);
  if (!module)
    return NULL;
  if (PyModule_AddObjectRef(module, "PreparedCall",
                            (PyObject *)&PreparedCallType) < 0 ||
      PyModule_AddObjectRef(module, "Model", (PyObject *)&ModelType) < 0) {
    Py_DECREF(module);
    return NULL;
  }
  return module;
}
