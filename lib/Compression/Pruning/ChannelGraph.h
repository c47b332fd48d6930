//===- ChannelGraph.h - Channels coupled across a model ---------*- C++ -*-===//
//
// The planning view of channel pruning: which dims of which tensors are the
// channels a convolution or matmul produces, followed through the ops that
// carry them (elementwise ops, batch norm, pooling, padding, reshapes,
// depthwise convolutions, residual adds, concats) to the ops that reduce
// them (the next convolution or matmul). Every channel gets an id; ids that
// must go together (the two operands of a residual add) are one class, and
// classes that share tensors are one group (the channel dependency graph of
// Torch-Pruning). A class is pinned, with the reason, when removing it is
// unsafe: it reaches a function result or an op the analysis does not
// understand. Reads IR only; builds none.
//
//===----------------------------------------------------------------------===//

#ifndef COMPRESS_LIB_COMPRESSION_PRUNING_CHANNELGRAPH_H
#define COMPRESS_LIB_COMPRESSION_PRUNING_CHANNELGRAPH_H

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/BuiltinOps.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/EquivalenceClasses.h"

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace mlir::compress::pruning {

/// The channels along one dim of a tensor: the dim has extent
/// outer x ids.size() x inner and index p holds channel
/// (p / inner) % ids.size() (a flattened [C, H, W] has inner = H x W).
struct ChannelDim {
  unsigned dim = 0;
  int64_t outer = 1, inner = 1;
  llvm::SmallVector<int64_t> ids;

  int64_t extent() const {
    return outer * static_cast<int64_t>(ids.size()) * inner;
  }
};

/// A filter: slice `index` of dim `dim` of the weight (input 1) of `op`,
/// the producer of one channel.
struct Filter {
  linalg::LinalgOp op;
  unsigned dim = 0;
  int64_t index = 0;
};

class ChannelGraph {
public:
  /// Analyses every function of `module`.
  static ChannelGraph build(ModuleOp module);

  /// The channel dim of `value`, if it carries channels.
  const ChannelDim *lookup(Value value) const;

  /// The class of channel `id` (its leader id).
  int64_t classOf(int64_t id) const { return same.getLeaderValue(id); }
  /// The group of channel `id` (its leader id).
  int64_t groupOf(int64_t id) const { return coupled.getLeaderValue(id); }
  /// Why the class of `id` must stay, or an empty string.
  std::string pinReason(int64_t id) const;
  /// The filters that produce the class of `id`.
  llvm::ArrayRef<Filter> filtersOf(int64_t id) const;

  /// Every channel id.
  int64_t numIds() const { return nextId; }
  /// The ops that produce channels (their weight's output dim), in program
  /// order.
  llvm::ArrayRef<linalg::LinalgOp> producers() const { return producerOps; }
  /// The ops that reduce channels through their weight (input 1), in
  /// program order.
  llvm::ArrayRef<linalg::LinalgOp> consumers() const { return consumerOps; }
  /// The ops carrying or reducing channels, in program order: what a
  /// rewrite visits.
  llvm::ArrayRef<Operation *> ops() const { return visited; }

private:
  friend class ChannelGraphBuilder;
  int64_t nextId = 0;
  llvm::EquivalenceClasses<int64_t> same, coupled;
  llvm::DenseMap<Value, ChannelDim> tracked;
  /// By id (any member of a class; read through the class).
  llvm::DenseMap<int64_t, std::string> pins;
  llvm::DenseMap<int64_t, llvm::SmallVector<Filter, 1>> filters;
  llvm::SmallVector<linalg::LinalgOp> producerOps, consumerOps;
  llvm::SmallVector<Operation *> visited;
};

/// The kept indices of a dim with channels `dim` when `removed(id)` says
/// which channels go; nothing if none goes.
std::optional<std::vector<int64_t>>
keptIndices(const ChannelDim &dim, const ChannelGraph &graph,
            const std::function<bool(int64_t classId)> &removed);

} // namespace mlir::compress::pruning

#endif // COMPRESS_LIB_COMPRESSION_PRUNING_CHANNELGRAPH_H
