//===- Compressible.h - Ops the compression passes work on ------*- C++ -*-===//
//
// Shared by the compression passes: which linalg ops are compressible, how
// they are named in calibration files, and how their constant weights are
// read.
//
//===----------------------------------------------------------------------===//

#ifndef COMPRESS_LIB_DIALECT_COMPRESS_TRANSFORMS_COMPRESSIBLE_H
#define COMPRESS_LIB_DIALECT_COMPRESS_TRANSFORMS_COMPRESSIBLE_H

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

/// The raw element bytes (row-major, host order) of a statically shaped
/// `arith.constant` tensor (dense or dense_resource; splats expanded) whose
/// elements are whole bytes; nullopt otherwise.
std::optional<std::vector<char>> readConstantBytes(Value value);

/// The values of a constant f32 weight (`arith.constant` with `dense` or
/// `dense_resource` data) in row-major order, or nothing when `value` is not
/// such a constant.
std::optional<std::vector<float>> readF32Constant(Value value);

/// `value` (a ranked tensor) as a 1-D tensor in its row-major order: a
/// tensor.collapse_shape of all dims, or `value` itself if it is 1-D.
Value collapseTo1D(OpBuilder &b, Location loc, Value value);

/// Erases `ops` (users first: each must be unused once the ones before it
/// are gone; an op that is still used is kept), then every pure op that
/// produced one of their operands and is now unused.
void eraseWithDeadProducers(ArrayRef<Operation *> ops);

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

#endif // COMPRESS_LIB_DIALECT_COMPRESS_TRANSFORMS_COMPRESSIBLE_H
