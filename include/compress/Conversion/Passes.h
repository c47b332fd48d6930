//===- Passes.h - Compress conversion passes --------------------*- C++ -*-===//
//
// Declares the conversions out of the compress dialect.
//
//===----------------------------------------------------------------------===//

#ifndef COMPRESS_CONVERSION_PASSES_H
#define COMPRESS_CONVERSION_PASSES_H

#include "compress/Conversion/CompressToLinalg/CompressToLinalg.h"
#include "mlir/Pass/Pass.h"

namespace mlir::compress {

#define GEN_PASS_DECL
#include "compress/Conversion/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "compress/Conversion/Passes.h.inc"

} // namespace mlir::compress

#endif // COMPRESS_CONVERSION_PASSES_H
