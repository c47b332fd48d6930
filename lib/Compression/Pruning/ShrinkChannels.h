//===- ShrinkChannels.h - Remove channels from a model ----------*- C++ -*-===//
//
// The IR side of channel pruning: given the channel classes to remove
// (ChannelGraph.h), every tensor that carries them gets its channel dim
// shrunk: constants (weights, biases, batch-norm parameters) are sliced,
// inits (tensor.empty, linalg.fill) rebuilt at the new shape, and results
// retyped. Function signatures do not change (the graph pins channels that
// reach them).
//
//===----------------------------------------------------------------------===//

#ifndef COMPRESS_LIB_COMPRESSION_PRUNING_SHRINKCHANNELS_H
#define COMPRESS_LIB_COMPRESSION_PRUNING_SHRINKCHANNELS_H

#include "ChannelGraph.h"

namespace mlir::compress::pruning {

/// Removes from the IR the channels of every class for which
/// `removed(classId)` holds (never a pinned one).
void shrinkChannels(const ChannelGraph &graph,
                    const std::function<bool(int64_t classId)> &removed);

/// The constant `value` with, along every dim `d` that has `kept[d]`, only
/// those indices (in order); created at `builder`'s insertion point.
Value sliceConstant(OpBuilder &builder, Value value,
                    ArrayRef<std::optional<std::vector<int64_t>>> kept);

} // namespace mlir::compress::pruning

#endif // COMPRESS_LIB_COMPRESSION_PRUNING_SHRINKCHANNELS_H
