//===- CompressDialect.h - Compress dialect ---------------------*- C++ -*-===//
//
// Declares the compress dialect.
//
//===----------------------------------------------------------------------===//

#ifndef COMPRESS_DIALECT_COMPRESS_IR_COMPRESSDIALECT_H
#define COMPRESS_DIALECT_COMPRESS_IR_COMPRESSDIALECT_H

#include "mlir/IR/Dialect.h"

#include "compress/Dialect/Compress/IR/CompressOpsDialect.h.inc"

#endif // COMPRESS_DIALECT_COMPRESS_IR_COMPRESSDIALECT_H
