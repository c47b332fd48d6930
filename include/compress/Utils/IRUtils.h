//===- IRUtils.h - Generic IR helpers ---------------------------*- C++ -*-===//
//
// Small IR helpers shared by the compression passes and code generation:
// reading constant weights, reshaping to 1-D, erasing ops with their dead
// producers. Nothing here knows about compression or a target.
//
//===----------------------------------------------------------------------===//

#ifndef COMPRESS_UTILS_IRUTILS_H
#define COMPRESS_UTILS_IRUTILS_H

#include "mlir/IR/Builders.h"
#include "mlir/IR/Value.h"

#include <optional>
#include <vector>

namespace mlir::compress {

/// The raw element bytes (row-major, host order) of a statically shaped
/// `arith.constant` tensor (dense or dense_resource; splats expanded) whose
/// elements are whole bytes; nullopt otherwise.
std::optional<std::vector<char>> readConstantBytes(Value value);

/// `bytes`, the row-major elements (`elementBytes` each) of a tensor of
/// `shape`, with its dims reordered: dim i of the result is dim
/// `permutation[i]` of the source.
std::vector<char> permuteElements(ArrayRef<char> bytes, size_t elementBytes,
                                  ArrayRef<int64_t> shape,
                                  ArrayRef<int64_t> permutation);

/// True if readConstantBytes(value) would succeed; checked without copying.
bool hasConstantBytes(Value value);

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

} // namespace mlir::compress

#endif // COMPRESS_UTILS_IRUTILS_H
