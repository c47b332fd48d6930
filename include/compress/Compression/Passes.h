//===- Passes.h - Model compression passes ----------------------*- C++ -*-===//
//
// Declares the model-level compression passes (see Passes.td).
//
//===----------------------------------------------------------------------===//

#ifndef COMPRESS_COMPRESSION_PASSES_H
#define COMPRESS_COMPRESSION_PASSES_H

#include "compress/Compression/DecomposeOptions.h"
#include "compress/Compression/PruneOptions.h"
#include "compress/Compression/QuantizeOptions.h"
#include "compress/Dialect/Compress/IR/CompressDialect.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"

namespace mlir::compress {

#define GEN_PASS_DECL
#include "compress/Compression/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "compress/Compression/Passes.h.inc"

} // namespace mlir::compress

#endif // COMPRESS_COMPRESSION_PASSES_H
