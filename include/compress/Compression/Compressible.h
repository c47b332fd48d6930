//===- Compressible.h - Ops the compression passes work on ------*- C++ -*-===//
//
// Shared by the compression passes: which linalg ops are compressible, how
// they are named in calibration files, and the roles of their weight
// dimensions.
//
//===----------------------------------------------------------------------===//

#ifndef COMPRESS_COMPRESSION_COMPRESSIBLE_H
#define COMPRESS_COMPRESSION_COMPRESSIBLE_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/BuiltinOps.h"

#include <optional>
#include <string>
#include <vector>

namespace mlir::compress {

/// True for a contraction or convolution on tensors (pooling excluded): the
/// ops whose second input can be a compressible weight.
bool isCompressibleOp(linalg::LinalgOp op);

/// Calls `fn(op, key)` for every compressible op of `module` in program
/// order. `key` is `<function>/<ordinal>`, the op's name in calibration
/// files; it is stable as long as the set of compressible ops is.
void forEachCompressibleOp(
    ModuleOp module, function_ref<void(linalg::LinalgOp op, StringRef key)> fn);

/// Roles of the weight's dimensions, derived from the op's indexing maps.
struct WeightLayout {
  /// For every weight dimension: the loop it is indexed by.
  SmallVector<unsigned> loops;
  /// For every weight dimension: true if its loop is parallel (appears in
  /// the output), false if it is reduced.
  SmallVector<bool> parallel;
  /// The output channel: the last parallel weight dimension, if any.
  std::optional<int64_t> channelAxis;
  /// For every weight dimension that is parallel, its position in the
  /// output tensor.
  SmallVector<int64_t> outputPosition;
};

/// Analyses operand `weightOperand` of `op`; fails unless every indexing
/// expression of the weight is a plain loop index.
std::optional<WeightLayout> analyzeWeight(linalg::LinalgOp op,
                                          unsigned weightOperand);

} // namespace mlir::compress

#endif // COMPRESS_COMPRESSION_COMPRESSIBLE_H
