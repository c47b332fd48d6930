//===- CompressAttrs.h - Compress attributes --------------------*- C++ -*-===//
//
// Declares the attributes of the compress dialect.
//
//===----------------------------------------------------------------------===//

#ifndef COMPRESS_DIALECT_COMPRESS_IR_COMPRESSATTRS_H
#define COMPRESS_DIALECT_COMPRESS_IR_COMPRESSATTRS_H

#include "mlir/IR/Attributes.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"

#include <optional>

#include "compress/Dialect/Compress/IR/CompressEnums.h.inc"

#define GET_ATTRDEF_CLASSES
#include "compress/Dialect/Compress/IR/CompressAttrs.h.inc"

#endif // COMPRESS_DIALECT_COMPRESS_IR_COMPRESSATTRS_H
