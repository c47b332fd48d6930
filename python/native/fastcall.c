/*===- fastcall.c - Calls of compiled models from Python ----------*- C -*-===*\
|*                                                                            *|
|* The CPython extension compress._fastcall: a PreparedCall object runs a     *|
|* function of the runtime library (compress-c/Runtime.h) on numpy arrays of  *|
|* the shapes it was prepared for, through compressPreparedCallRun. One call  *|
|* from Python is one C function: no ctypes structures, no Python-level       *|
|* checks, the results created as numpy arrays by the runtime's allocator     *|
|* callback. When the arrays are not exactly what was prepared (another       *|
|* dtype, shape, layout, or a list), or the object is busy on another thread, *|
|* the call returns None and the Python package takes its general path,       *|
|* which converts or explains.                                                *|
|*                                                                            *|
\*===----------------------------------------------------------------------===*/

#define PY_SSIZE_T_CLEAN
#include <Python.h>

#define NPY_NO_DEPRECATED_API NPY_1_7_API_VERSION
#include <numpy/arrayobject.h>

#include "compress-c/Runtime.h"

#include <string.h>

/* Largest rank of a prepared input (the runtime's own limit). */
#define MAX_RANK 64

typedef struct {
  PyObject_HEAD vectorcallfunc vectorcall;
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
  /* Per result: the numpy type number of the array made for it. */
  int *resultTypes;
  /* Scratch of one run: the input pointers and the result arrays. */
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

/* Makes the numpy array of result `index` (with the GIL held again). */
static void *allocateResult(void *opaque, size_t index,
                            const CompressArray *result) {
  RunContext *context = (RunContext *)opaque;
  PreparedCallObject *self = context->self;
  if ((Py_ssize_t)index >= self->numResults || result->rank > MAX_RANK)
    return NULL;
  PyEval_RestoreThread(context->thread);
  void *data = NULL;
  npy_intp dims[MAX_RANK];
  for (int64_t d = 0; d < result->rank; ++d)
    dims[d] = (npy_intp)result->shape[d];
  PyArray_Descr *descr = PyArray_DescrFromType(self->resultTypes[index]);
  if (descr && (size_t)descr->elsize == compressDTypeSize(result->dtype)) {
    /* PyArray_NewFromDescr steals the reference to descr. */
    PyObject *array = PyArray_NewFromDescr(
        &PyArray_Type, descr, (int)result->rank, dims, NULL, NULL, 0, NULL);
    if (array) {
      self->results[index] = array;
      data = PyArray_DATA((PyArrayObject *)array);
      /* A result without elements may have no memory: any pointer will do,
         nothing is written there. */
      if (!data)
        data = array;
    }
  } else {
    Py_XDECREF(descr);
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
  for (Py_ssize_t r = 0; r < self->numResults; ++r)
    Py_CLEAR(self->results[r]);
}

/* call(arrays): the results (one array, or a tuple of them) of the function
   on the tuple `arrays`, or None when the arrays are not exactly what was
   prepared or another thread is running this call. */
static PyObject *preparedCallVectorcall(PyObject *callable,
                                        PyObject *const *args, size_t nargsf,
                                        PyObject *kwnames) {
  PreparedCallObject *self = (PreparedCallObject *)callable;
  Py_ssize_t nargs = PyVectorcall_NARGS(nargsf);
  if (nargs != 1 || kwnames || !PyTuple_Check(args[0])) {
    PyErr_SetString(PyExc_TypeError,
                    "a PreparedCall takes one tuple of arrays");
    return NULL;
  }
  PyObject *arrays = args[0];
  if (!self->call || self->busy || PyTuple_GET_SIZE(arrays) != self->numInputs)
    Py_RETURN_NONE;
  for (Py_ssize_t i = 0; i < self->numInputs; ++i) {
    PyObject *item = PyTuple_GET_ITEM(arrays, i);
    if (!matches(self, i, item))
      Py_RETURN_NONE;
    self->data[i] = PyArray_DATA((PyArrayObject *)item);
  }

  /* The tuple (held by the caller) keeps the inputs alive while the GIL is
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
  Py_RETURN_NONE;
}

static void preparedCallDealloc(PyObject *object) {
  PreparedCallObject *self = (PreparedCallObject *)object;
  if (self->weakrefs)
    PyObject_ClearWeakRefs(object);
  compressPreparedCallDestroy(self->call);
  if (self->results)
    clearResults(self);
  Py_XDECREF(self->owner);
  Py_XDECREF(self->errorType);
  PyMem_Free(self->inputTypes);
  PyMem_Free(self->inputRanks);
  PyMem_Free(self->shapeOffsets);
  PyMem_Free(self->shapes);
  PyMem_Free(self->resultTypes);
  PyMem_Free(self->data);
  PyMem_Free(self->results);
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
  PreparedCallObject *self = (PreparedCallObject *)type->tp_alloc(type, 0);
  CompressArray *described = NULL;
  int64_t *sizes = NULL;
  char *error = NULL;
  if (!self)
    goto fail;
  self->vectorcall = preparedCallVectorcall;
  self->numInputs = PySequence_Fast_GET_SIZE(inputSeq);
  self->numResults = PySequence_Fast_GET_SIZE(resultSeq);
  Py_INCREF(owner);
  self->owner = owner;
  Py_INCREF(errorType);
  self->errorType = errorType;
  size_t n = (size_t)self->numInputs + 1, m = (size_t)self->numResults + 1;
  size_t maxSizes = n * MAX_RANK;
  self->inputTypes = PyMem_Calloc(n, sizeof(int));
  self->inputRanks = PyMem_Calloc(n, sizeof(int));
  self->shapeOffsets = PyMem_Calloc(n, sizeof(Py_ssize_t));
  self->shapes = PyMem_Calloc(maxSizes, sizeof(npy_intp));
  self->resultTypes = PyMem_Calloc(m, sizeof(int));
  self->data = PyMem_Calloc(n, sizeof(void *));
  self->results = PyMem_Calloc(m, sizeof(PyObject *));
  described = PyMem_Calloc(n, sizeof(CompressArray));
  sizes = PyMem_Calloc(maxSizes, sizeof(int64_t));
  if (!self->inputTypes || !self->inputRanks || !self->shapeOffsets ||
      !self->shapes || !self->resultTypes || !self->data || !self->results ||
      !described || !sizes) {
    PyErr_NoMemory();
    goto fail;
  }
  if (readInputs(self, inputSeq, described, sizes) < 0)
    goto fail;
  for (Py_ssize_t r = 0; r < self->numResults; ++r) {
    int resultType = typeNumber(PySequence_Fast_GET_ITEM(resultSeq, r));
    if (resultType < 0)
      goto fail;
    self->resultTypes[r] = resultType;
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

static PyMethodDef preparedCallMethods[] = {
    {"close", preparedCallClose, METH_NOARGS,
     "Releases the prepared call; later calls return None."},
    {NULL, NULL, 0, NULL}};

static PyTypeObject PreparedCallType = {
    PyVarObject_HEAD_INIT(NULL, 0).tp_name = "compress._fastcall.PreparedCall",
    .tp_basicsize = sizeof(PreparedCallObject),
    .tp_dealloc = preparedCallDealloc,
    .tp_vectorcall_offset = offsetof(PreparedCallObject, vectorcall),
    .tp_weaklistoffset = offsetof(PreparedCallObject, weakrefs),
    .tp_call = PyVectorcall_Call,
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_VECTORCALL,
    .tp_doc = "A function of a compiled module prepared for arrays of fixed "
              "dtypes and shapes: call(arrays) returns its results, or None "
              "when `arrays` (a tuple) is not exactly what was prepared.",
    .tp_methods = preparedCallMethods,
    .tp_new = preparedCallNew,
};

static struct PyModuleDef fastcallModule = {
    PyModuleDef_HEAD_INIT, .m_name = "_fastcall",
    .m_doc = "Calls of compiled models through the runtime's prepared calls.",
    .m_size = -1};

PyMODINIT_FUNC PyInit__fastcall(void) {
  import_array();
  if (PyType_Ready(&PreparedCallType) < 0)
    return NULL;
  PyObject *module = PyModule_Create(&fastcallModule);
  if (!module)
    return NULL;
  Py_INCREF(&PreparedCallType);
  if (PyModule_AddObject(module, "PreparedCall",
                         (PyObject *)&PreparedCallType) < 0) {
    Py_DECREF(&PreparedCallType);
    Py_DECREF(module);
    return NULL;
  }
  return module;
}
