//===- PruneChannels.cpp - structure=channel of compress-prune ------------===//

#include "PruneChannels.h"
#include "ChannelGraph.h"
#include "Reconstruct.h"
#include "Selection.h"
#include "ShrinkChannels.h"
#include "compress/Compression/Compressible.h"
#include "compress/Utils/IRUtils.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Utils/IndexingUtils.h"

#include <algorithm>
#include <cmath>
#include <map>

using namespace mlir;
using namespace mlir::compress;
using namespace mlir::compress::pruning;

namespace {

/// The importance of every filter of `op` along weight dim `dim` by
/// `criterion`, divided by their mean (so that every producer of a group
/// counts alike whatever its scale).
FailureOr<std::vector<double>>
filterScores(linalg::LinalgOp op, StringRef key, unsigned dim,
             const ChannelPruneOptions &options) {
  Value weight = op.getDpsInputs()[1];
  auto type = cast<RankedTensorType>(weight.getType());
  std::optional<std::vector<float>> values = readF32Constant(weight);
  std::optional<WeightRows> rows = buildWeightRows(op, type);
  if (!values || !rows)
    return op.emitError() << "compress-prune: structure=channel: "
                          << op->getName() << " (" << key
                          << ") needs a constant f32 weight to rank its "
                             "filters";
  std::vector<double> diagonal;
  if (options.criterion == PruneCriterion::Activation) {
    FailureOr<std::vector<double>> gram = options.readGram(op, key, *rows);
    if (failed(gram))
      return failure();
    for (int64_t i = 0; i < rows->gramSize; ++i)
      diagonal.push_back((*gram)[i * rows->gramSize + i]);
  }
  std::vector<double> elements =
      elementScores(*rows, *values, options.criterion, diagonal);
  int64_t stride = computeStrides(type.getShape())[dim];
  int64_t extent = type.getDimSize(dim);
  std::vector<double> scores(extent, 0.0);
  for (auto [position, score] : llvm::enumerate(elements))
    scores[(rows->element[position] / stride) % extent] += score;
  double mean = 0;
  for (double score : scores)
    mean += score;
  mean /= static_cast<double>(extent);
  if (mean > 0)
    for (double &score : scores)
      score /= mean;
  return scores;
}

/// Least-squares compensation of `op`'s weight for the removed channels of
/// its reduced loops.
LogicalResult refitConsumer(linalg::LinalgOp op, StringRef key,
                            const ChannelGraph &graph,
                            const std::function<bool(int64_t)> &removed,
                            const ChannelPruneOptions &options) {
  OpOperand *weightOperand = op.getDpsInputOperand(1);
  auto type = cast<RankedTensorType>(weightOperand->get().getType());
  AffineMap weightMap = op.getMatchingIndexingMap(weightOperand);
  // The kept indices of every weight dim whose loop loses input channels.
  SmallVector<std::optional<std::vector<int64_t>>> kept(type.getRank());
  for (OpOperand *input : op.getDpsInputOperands()) {
    const ChannelDim *dim = graph.lookup(input->get());
    if (!dim)
      continue;
    auto loop = cast<AffineDimExpr>(
        op.getMatchingIndexingMap(input).getResult(dim->dim));
    for (auto [d, expr] : llvm::enumerate(weightMap.getResults()))
      if (cast<AffineDimExpr>(expr).getPosition() == loop.getPosition())
        kept[d] = keptIndices(*dim, graph, removed);
  }
  if (llvm::none_of(kept, [](auto &k) { return k.has_value(); }))
    return success();
  std::optional<std::vector<float>> values =
      readF32Constant(weightOperand->get());
  std::optional<WeightRows> rows = buildWeightRows(op, type);
  if (!values || !rows)
    return op.emitError() << "compress-prune: structure=channel "
                             "method=reconstruct: "
                          << op->getName() << " (" << key
                          << ") needs a constant f32 weight";
  FailureOr<std::vector<double>> gram = options.readGram(op, key, *rows);
  if (failed(gram))
    return failure();
  // Removed: the positions whose element lies outside a kept index.
  SmallVector<std::vector<bool>> keptMask;
  for (auto [d, indices] : llvm::enumerate(kept)) {
    std::vector<bool> mask(type.getDimSize(d), indices == std::nullopt);
    if (indices)
      for (int64_t i : *indices)
        mask[i] = true;
    keptMask.push_back(std::move(mask));
  }
  SmallVector<int64_t> strides = computeStrides(type.getShape());
  std::vector<bool> removedPosition(rows->element.size());
  for (auto [position, element] : llvm::enumerate(rows->element)) {
    SmallVector<int64_t> index = delinearize(element, strides);
    for (auto [d, i] : llvm::enumerate(index))
      if (!keptMask[d][i])
        removedPosition[position] = true;
  }
  std::string error =
      refitWithout(*rows, removedPosition, options.damp, *gram, *values);
  if (!error.empty())
    return op.emitError() << "compress-prune: " << op->getName() << " (" << key
                          << "): " << error;
  OpBuilder builder(op);
  Value refit = arith::ConstantOp::create(
      builder, weightOperand->get().getLoc(),
      DenseElementsAttr::get(type, ArrayRef<float>(*values)));
  Operation *old = weightOperand->get().getDefiningOp();
  weightOperand->set(refit);
  if (old->use_empty())
    old->erase();
  return success();
}

} // namespace

LogicalResult
mlir::compress::pruning::pruneChannels(ModuleOp module,
                                       const ChannelPruneOptions &options) {
  ChannelGraph graph = ChannelGraph::build(module);
  llvm::DenseMap<Operation *, std::string> keys;
  forEachCompressibleOp(module, [&](linalg::LinalgOp op, StringRef key) {
    keys[op] = key.str();
  });
  if (graph.producers().empty())
    return module.emitError()
           << "compress-prune: structure=channel found no convolution or "
              "matmul with a constant weight that produces channels";

  // Filter scores of every producer, by weight dim.
  std::map<std::pair<Operation *, unsigned>, std::vector<double>> scores;
  for (int64_t id = 0; id < graph.numIds(); ++id) {
    for (const Filter &filter : graph.filtersOf(id)) {
      auto slot =
          std::make_pair(static_cast<Operation *>(filter.op), filter.dim);
      if (scores.count(slot))
        continue;
      FailureOr<std::vector<double>> filterScore =
          filterScores(filter.op, keys[filter.op], filter.dim, options);
      if (failed(filterScore))
        return failure();
      scores[slot] = std::move(*filterScore);
    }
  }

  // The classes of every group, with their importance: the sum of their
  // filters' scores.
  struct Candidate {
    int64_t classId;
    double score;
    bool pinned;
  };
  std::map<int64_t, std::vector<Candidate>> groups;
  std::vector<bool> seen(graph.numIds());
  for (int64_t id = 0; id < graph.numIds(); ++id) {
    int64_t classId = graph.classOf(id);
    if (seen[classId] || graph.filtersOf(classId).empty())
      continue;
    seen[classId] = true;
    double score = 0;
    for (const Filter &filter : graph.filtersOf(classId))
      score += scores[{static_cast<Operation *>(filter.op), filter.dim}]
                     [filter.index];
    // Across groups, a class of a residual stage (many producers) and one
    // of a single convolution compare by their filters' mean.
    if (options.global)
      score /= static_cast<double>(graph.filtersOf(classId).size());
    groups[graph.groupOf(classId)].push_back(
        {classId, score, !graph.pinReason(classId).empty()});
  }
  llvm::DenseSet<int64_t> removedClasses;
  if (options.global) {
    // One ranking: round(sparsity x the channels that can go) go, the
    // lowest first (ties: the earlier group, then channel), each group
    // keeping at least one.
    std::vector<std::pair<int64_t, const Candidate *>> ranked;
    std::map<int64_t, int64_t> left;
    for (auto &[group, candidates] : groups) {
      left[group] = static_cast<int64_t>(candidates.size());
      for (const Candidate &candidate : candidates)
        if (!candidate.pinned)
          ranked.emplace_back(group, &candidate);
    }
    auto total = static_cast<int64_t>(ranked.size());
    std::stable_sort(ranked.begin(), ranked.end(), [](auto &a, auto &b) {
      return a.second->score < b.second->score;
    });
    int64_t count = std::llround(options.sparsity * static_cast<double>(total));
    for (auto &[group, candidate] : ranked) {
      if (static_cast<int64_t>(removedClasses.size()) >= count)
        break;
      if (left[group] <= 1)
        continue;
      --left[group];
      removedClasses.insert(candidate->classId);
    }
  } else {
    // Each group loses round(sparsity x its channels) of its unpinned
    // ones, the lowest first (ties: the earlier channel), and keeps at
    // least one.
    for (auto &[group, candidates] : groups) {
      auto total = static_cast<int64_t>(candidates.size());
      int64_t count = std::min<int64_t>(
          std::llround(options.sparsity * static_cast<double>(total)),
          total - 1);
      std::vector<const Candidate *> free;
      for (const Candidate &candidate : candidates)
        if (!candidate.pinned)
          free.push_back(&candidate);
      std::stable_sort(free.begin(), free.end(),
                       [](auto *a, auto *b) { return a->score < b->score; });
      count = std::min<int64_t>(count, free.size());
      for (int64_t i = 0; i < count; ++i)
        removedClasses.insert(free[i]->classId);
    }
  }
  auto removed = [&](int64_t classId) {
    return removedClasses.contains(classId);
  };

  // What happened to every producer, for compress-report: one pass over
  // the classes (in id order, so the first reason is the lowest id's).
  struct Outcome {
    int64_t channels = 0, gone = 0;
    std::string reason;
  };
  llvm::DenseMap<Operation *, Outcome> outcomes;
  for (int64_t id = 0; id < graph.numIds(); ++id) {
    if (graph.classOf(id) != id)
      continue;
    for (const Filter &filter : graph.filtersOf(id)) {
      Outcome &outcome = outcomes[filter.op];
      ++outcome.channels;
      outcome.gone += removed(id);
      if (outcome.reason.empty())
        outcome.reason = graph.pinReason(id);
    }
  }
  MLIRContext *context = module.getContext();
  for (linalg::LinalgOp op : graph.producers()) {
    const Outcome &outcome = outcomes[op];
    int64_t channels = outcome.channels, gone = outcome.gone;
    const std::string &reason = outcome.reason;
    SmallVector<NamedAttribute> entries = {
        NamedAttribute(StringAttr::get(context, "structure"),
                       StringAttr::get(context, "channel")),
        NamedAttribute(
            StringAttr::get(context, "channels"),
            IntegerAttr::get(IntegerType::get(context, 64), channels)),
        NamedAttribute(StringAttr::get(context, "removed"),
                       IntegerAttr::get(IntegerType::get(context, 64), gone)),
    };
    if (!reason.empty())
      entries.emplace_back(StringAttr::get(context, "kept_because"),
                           StringAttr::get(context, reason));
    op->setAttr("compress.pruned", DictionaryAttr::get(context, entries));
  }

  if (removedClasses.empty()) {
    if (options.sparsity > 0)
      graph.producers().front()->emitWarning()
          << "compress-prune: structure=channel removed no channel (the "
             "compress.pruned attribute of each producer says why)";
    return success();
  }
  if (options.method == PruneMethod::Reconstruct)
    for (linalg::LinalgOp op : graph.consumers())
      if (failed(refitConsumer(op, keys[op], graph, removed, options)))
        return failure();
  shrinkChannels(graph, removed);
  return success();
}
