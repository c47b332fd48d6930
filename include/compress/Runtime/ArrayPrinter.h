//===- ArrayPrinter.h - Printing arrays as text -----------------*- C++ -*-===//
//
// Prints arrays the way compress-run shows results: a NumPy-like nested
// list, floats with %g, booleans as true/false.
//
//===----------------------------------------------------------------------===//

#ifndef COMPRESS_RUNTIME_ARRAYPRINTER_H
#define COMPRESS_RUNTIME_ARRAYPRINTER_H

#include "compress/Runtime/Npy.h"

#include "llvm/Support/raw_ostream.h"

namespace mlir::compress::runtime {

/// Prints `array` as a nested list, e.g. "[[1, 2],\n [3, 4]]" (no newline at
/// the end); a 0-d array prints as its value.
void printArray(llvm::raw_ostream &os, const npy::Array &array);

} // namespace mlir::compress::runtime

#endif // COMPRESS_RUNTIME_ARRAYPRINTER_H
