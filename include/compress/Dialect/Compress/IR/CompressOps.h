//===- CompressOps.h - Compress operations ----------------------*- C++ -*-===//
//
// Declares the operations of the compress dialect.
//
//===----------------------------------------------------------------------===//

#ifndef COMPRESS_DIALECT_COMPRESS_IR_COMPRESSOPS_H
#define COMPRESS_DIALECT_COMPRESS_IR_COMPRESSOPS_H

#include "compress/Dialect/Compress/IR/CompressAttrs.h"
#include "compress/Dialect/Compress/IR/CompressDialect.h"
#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#define GET_OP_CLASSES
#include "compress/Dialect/Compress/IR/CompressOps.h.inc"

namespace mlir::compress {

/// Applies `spec`'s fake quantization to one value, computing in `float` (the
/// reference semantics shared by the folder and the lowering for f16, bf16
/// and f32). `channel` selects the scale for per-axis specs.
float fakeQuantize(float x, float scale, float zeroPoint, float qmin,
                   float qmax);
/// Same as above, computing in `double` (used for f64 tensors).
double fakeQuantize(double x, double scale, double zeroPoint, double qmin,
                    double qmax);

} // namespace mlir::compress

#endif // COMPRESS_DIALECT_COMPRESS_IR_COMPRESSOPS_H
