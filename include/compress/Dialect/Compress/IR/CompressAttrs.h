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

namespace mlir::compress {

/// Advances the multi-index `indices` to the next element of a tensor of
/// `shape` in row-major order (wrapping to all zeros after the last one).
/// Used with QuantSpecAttr::getParamIndex to walk elements attributes.
void advanceRowMajor(MutableArrayRef<int64_t> indices, ArrayRef<int64_t> shape);

} // namespace mlir::compress

#endif // COMPRESS_DIALECT_COMPRESS_IR_COMPRESSATTRS_H
