//===- Compressible.h - Ops the compression passes work on ------*- C++ -*-===//
//
// Shared by the compression passes: which linalg ops are compressible, how
// they are named in calibration files, the roles of their weight
// dimensions, and the reading of their calibration Gram matrices.
//
//===----------------------------------------------------------------------===//

#ifndef COMPRESS_COMPRESSION_COMPRESSIBLE_H
#define COMPRESS_COMPRESSION_COMPRESSIBLE_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/BuiltinOps.h"
#include "llvm/ADT/StringSet.h"

#include <optional>
#include <string>
#include <vector>

namespace mlir::compress {

namespace calibration {
class Store;
} // namespace calibration

/// True for a contraction or convolution on tensors (pooling excluded): the
/// ops whose second input can be a compressible weight.
bool isCompressibleOp(linalg::LinalgOp op);

/// Calls `fn(op, key)` for every compressible op of `module` in program
/// order. `key` is `<function>/<ordinal>`, the op's name in calibration
/// files; it is stable as long as the set of compressible ops is.
void forEachCompressibleOp(
    ModuleOp module, function_ref<void(linalg::LinalgOp op, StringRef key)> fn);

/// The ops a pass's `ops=` option selects: std::nullopt (every op) when it
/// is empty, else the set of keys, each checked to be the key of a
/// compressible op of `module` (an unknown one is an error at the module
/// that names `pass` and lists the keys there are).
FailureOr<std::optional<llvm::StringSet<>>>
selectOps(ModuleOp module, ArrayRef<std::string> keys, StringRef pass);

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

/// The Gram matrix (`size` x `size`, row-major) of `op`'s input recorded
/// under `key` in `store`, or an error at `op` that names `pass`, the op
/// and its key: the store has none for it, one of another size, or a file
/// that cannot be read.
FailureOr<std::vector<double>> readLayerGram(const calibration::Store &store,
                                             linalg::LinalgOp op, StringRef key,
                                             int64_t size, StringRef pass);

/// Erases each of `weights` (constants a pass replaced in its layers) that
/// nothing uses any more; one shared with an op the pass left alone stays.
void eraseReplacedWeights(ArrayRef<Operation *> weights);

} // namespace mlir::compress

#endif // COMPRESS_COMPRESSION_COMPRESSIBLE_H
