//===- PruneChannels.h - structure=channel of compress-prune ----*- C++ -*-===//
//
// Channel (filter) pruning: ranks the channels of every coupled group
// (ChannelGraph.h) by the importance of the filters that produce them,
// removes the lowest `sparsity` of each group (or of all channels, with
// scope=global), optionally compensates the
// consumers by least squares (method=reconstruct), shrinks the IR
// (ShrinkChannels.h) and records per producer what happened.
//
//===----------------------------------------------------------------------===//

#ifndef COMPRESS_LIB_COMPRESSION_PRUNING_PRUNECHANNELS_H
#define COMPRESS_LIB_COMPRESSION_PRUNING_PRUNECHANNELS_H

#include "WeightRows.h"
#include "compress/Compression/PruneOptions.h"
#include "mlir/IR/BuiltinOps.h"

#include <functional>

namespace mlir::compress::pruning {

struct ChannelPruneOptions {
  double sparsity = 0.25;
  PruneCriterion criterion = PruneCriterion::L1;
  PruneMethod method = PruneMethod::Magnitude;
  double damp = 0.01;
  /// scope=global: one ranking over the channels of all groups (each
  /// scored by the mean of its filters' normalized scores) removes
  /// round(sparsity x the channels that can go), every group keeping one;
  /// else each
  /// group loses round(sparsity x its channels).
  bool global = false;
  /// Reads the Gram matrix of `op` (calibration key `key`), checked against
  /// `rows`; emits an error and fails when it cannot.
  std::function<FailureOr<std::vector<double>>(
      linalg::LinalgOp op, StringRef key, const WeightRows &rows)>
      readGram;
};

/// Prunes channels of `module` in place. Every producer of channels gets a
/// `compress.pruned` dictionary: structure, channels, removed and, when
/// some of its channels had to stay, the reason. Emits errors and fails
/// when a Gram matrix is missing or no op produces prunable channels.
LogicalResult pruneChannels(ModuleOp module,
                            const ChannelPruneOptions &options);

} // namespace mlir::compress::pruning

#endif // COMPRESS_LIB_COMPRESSION_PRUNING_PRUNECHANNELS_H
