//===- Prune.cpp - Post-training pruning of weights -----------------------===//
//
// Implements --compress-prune: plans, for every compressible op with a
// constant f32 weight, which weights go (WeightRows.h, Selection.h,
// Reconstruct.h), then replaces each weight by its pruned constant.
//
//===----------------------------------------------------------------------===//

#include "PruneChannels.h"
#include "Reconstruct.h"
#include "Selection.h"
#include "WeightRows.h"
#include "compress/Compression/Calibration/CalibrationStore.h"
#include "compress/Compression/Compressible.h"
#include "compress/Compression/Passes.h"
#include "compress/Utils/IRUtils.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "llvm/ADT/SetVector.h"

#include <algorithm>
#include <cmath>

namespace mlir::compress {
#define GEN_PASS_DEF_COMPRESSPRUNEPASS
#include "compress/Compression/Passes.h.inc"

namespace {

using namespace pruning;

/// One op to prune and what is known about its weight.
struct Layer {
  linalg::LinalgOp op;
  std::string key;
  WeightRows rows;
  std::vector<float> values;
  /// The units removed together and their scores (magnitude selection).
  Units units;
  std::vector<double> scores;
  /// The sum of `scores` over each unit.
  std::vector<double> unitScores;
  /// Sparsity this layer gets (scope=global: from the global threshold).
  double sparsity = 0;
};

struct CompressPrunePass : impl::CompressPrunePassBase<CompressPrunePass> {
  using CompressPrunePassBase::CompressPrunePassBase;

  void runOnOperation() override;

private:
  PruneShape shape;
  std::optional<calibration::Store> store;

  LogicalResult validateOptions();
  bool needsGram() const {
    return method == PruneMethod::Reconstruct ||
           criterion == PruneCriterion::Activation;
  }
  /// Reads `layer`'s Gram matrix, checked against its size.
  FailureOr<std::vector<double>> readGram(linalg::LinalgOp op, StringRef key,
                                          const WeightRows &rows);
  FailureOr<std::vector<double>> readGram(const Layer &layer) {
    return readGram(layer.op, layer.key, layer.rows);
  }
  LogicalResult pruneLayer(Layer &layer);
  /// Records on the op (compress.pruned) its structure and sparsity.
  void recordPruning(Layer &layer);
};

LogicalResult CompressPrunePass::validateOptions() {
  auto fail = [&](const Twine &message) {
    return getOperation().emitError() << "compress-prune: " << message;
  };
  auto conflict = [&](const Twine &first, const Twine &second,
                      const Twine &reason) {
    return fail(first + " conflicts with " + second + ": " + reason);
  };
  if (!(sparsity >= 0 && sparsity < 1))
    return fail("sparsity must be in [0, 1), got " + spellNumber(sparsity));
  if (!(damp > 0 && damp <= 1))
    return fail("damp must be in (0, 1], got " + spellNumber(damp));
  std::optional<std::pair<int64_t, int64_t>> blockShape = parseBlock(block);
  if (!blockShape)
    return fail("block must be RxC with positive integers R and C, got '" +
                Twine(block) + "'");
  if (n < 1 || m < 2 || n >= m)
    return fail("n:m needs 1 <= n < m, got n=" + Twine(n) + " m=" + Twine(m));
  std::string structureText = spellEnumOption(structure);
  // Options of another structure must keep their defaults (a printed
  // pipeline spells every option, so defaults cannot be told apart).
  if (structure != PruneStructure::Block && block != "1x16")
    return conflict("block=" + Twine(block), structureText,
                    "block applies to structure=block only");
  if (structure != PruneStructure::NM && (n != 2 || m != 4))
    return conflict("n=" + Twine(n) + " m=" + Twine(m), structureText,
                    "n and m apply to structure=n:m only");
  if (structure == PruneStructure::NM) {
    double implied = 1.0 - static_cast<double>(n) / static_cast<double>(m);
    if (sparsity != 0.5 && std::fabs(sparsity - implied) > 1e-9)
      return conflict("sparsity=" + spellNumber(sparsity), structureText,
                      "n=" + Twine(n) + " m=" + Twine(m) + " removes " +
                          spellNumber(implied) + " of the weights");
    if (scope == PruneScope::Global)
      return conflict(spellEnumOption(scope), structureText,
                      "n:m fixes every layer's sparsity");
  }
  if (structure == PruneStructure::Channel) {
    if (!ops.empty())
      return conflict("ops=", structureText,
                      "channel pruning removes channels from whole groups "
                      "of coupled ops");
    if (solver != ReconstructSolver::Auto)
      return conflict(spellEnumOption(solver), structureText,
                      "channels are chosen by criterion; reconstruct "
                      "compensates their consumers by one least-squares "
                      "solve");
  }
  if (method == PruneMethod::Reconstruct && scope == PruneScope::Layer &&
      structure != PruneStructure::Channel && criterion != PruneCriterion::L1)
    return conflict(spellEnumOption(criterion), spellEnumOption(method),
                    "reconstruct ranks weights by their saliency (criterion "
                    "applies to method=magnitude and to scope=global)");
  if (method != PruneMethod::Reconstruct && solver != ReconstructSolver::Auto)
    return conflict(spellEnumOption(solver), spellEnumOption(method),
                    "solver applies to method=reconstruct only");
  if (needsGram() && calibration.empty())
    return fail((method == PruneMethod::Reconstruct
                     ? spellEnumOption(method)
                     : spellEnumOption(criterion)) +
                " needs calibration=FILE (Gram matrices recorded by "
                "compress-instrument and compress-run --calibration-out)");
  if (!needsGram() && !calibration.empty())
    return conflict("calibration=" + Twine(calibration),
                    spellEnumOption(method),
                    "the calibration file is read by method=reconstruct and "
                    "criterion=activation only");
  shape.structure = structure;
  shape.blockChannels = blockShape->first;
  shape.blockRows = blockShape->second;
  shape.n = n;
  shape.m = m;
  return success();
}

FailureOr<std::vector<double>>
CompressPrunePass::readGram(linalg::LinalgOp op, StringRef key,
                            const WeightRows &rows) {
  auto fail = [&](const Twine &message) {
    return op->emitError() << "compress-prune: " << op->getName() << " (" << key
                           << "): " << message;
  };
  if (rows.gramColumn.empty())
    return fail("its Gram matrix columns are not all weight dims");
  return readLayerGram(*store, op, key, rows.gramSize, "compress-prune");
}

void CompressPrunePass::recordPruning(Layer &layer) {
  MLIRContext *context = layer.op->getContext();
  std::string spelled = "unstructured";
  if (structure == PruneStructure::Block)
    spelled = "block " + block;
  else if (structure == PruneStructure::NM)
    spelled = std::to_string(n) + ":" + std::to_string(m);
  auto zeros = llvm::count(layer.values, 0.0f);
  double fraction = layer.values.empty()
                        ? 0.0
                        : static_cast<double>(zeros) / layer.values.size();
  layer.op->setAttr(
      "compress.pruned",
      DictionaryAttr::get(
          context, {NamedAttribute(StringAttr::get(context, "structure"),
                                   StringAttr::get(context, spelled)),
                    NamedAttribute(
                        StringAttr::get(context, "sparsity"),
                        FloatAttr::get(Float64Type::get(context), fraction))}));
}

LogicalResult CompressPrunePass::pruneLayer(Layer &layer) {
  if (layer.sparsity <= 0 && structure != PruneStructure::NM)
    return success();
  std::vector<float> &values = layer.values;
  if (method == PruneMethod::Reconstruct) {
    FailureOr<std::vector<double>> gram = readGram(layer);
    if (failed(gram))
      return failure();
    std::string error = reconstruct(layer.rows, shape, layer.sparsity, damp,
                                    solver, *gram, values);
    if (!error.empty())
      return layer.op.emitError() << "compress-prune: " << layer.op->getName()
                                  << " (" << layer.key << "): " << error;
  } else if (structure == PruneStructure::NM) {
    applyMask(layer.rows, nmMask(layer.units, layer.scores, n, m), values);
  } else {
    const std::vector<double> &unitScores = layer.unitScores;
    auto count =
        static_cast<int64_t>(std::llround(layer.sparsity * layer.units.count));
    std::vector<bool> removedUnits = lowestUnits(unitScores, count);
    std::vector<bool> removed(layer.units.of.size());
    for (auto [pos, unit] : llvm::enumerate(layer.units.of))
      removed[pos] = removedUnits[unit];
    applyMask(layer.rows, removed, values);
  }
  recordPruning(layer);
  OpOperand &weightOperand = layer.op->getOpOperand(1);
  auto type = cast<RankedTensorType>(weightOperand.get().getType());
  OpBuilder builder(layer.op);
  Value pruned = arith::ConstantOp::create(
      builder, weightOperand.get().getLoc(),
      DenseElementsAttr::get(type, ArrayRef<float>(values)));
  weightOperand.set(pruned);
  return success();
}

void CompressPrunePass::runOnOperation() {
  if (failed(validateOptions()))
    return signalPassFailure();
  if (needsGram()) {
    llvm::Expected<calibration::Store> loaded =
        calibration::Store::read(calibration);
    if (!loaded) {
      getOperation().emitError()
          << "compress-prune: " << llvm::toString(loaded.takeError());
      return signalPassFailure();
    }
    store = std::move(*loaded);
  }

  if (structure == PruneStructure::Channel) {
    ChannelPruneOptions options;
    options.sparsity = sparsity;
    options.criterion = criterion;
    options.method = method;
    options.damp = damp;
    options.global = scope == PruneScope::Global;
    options.readGram = [&](linalg::LinalgOp op, StringRef key,
                           const WeightRows &rows) {
      return readGram(op, key, rows);
    };
    if (failed(pruneChannels(getOperation(), options)))
      return signalPassFailure();
    return;
  }

  // Plan every layer before anything changes.
  FailureOr<std::optional<llvm::StringSet<>>> selected =
      selectOps(getOperation(), ops, "compress-prune");
  if (failed(selected))
    return signalPassFailure();
  std::vector<Layer> layers;
  int64_t unfit = 0; // layers the structure does not fit
  forEachCompressibleOp(
      getOperation(), [&](linalg::LinalgOp op, StringRef key) {
        if (*selected && !(*selected)->contains(key))
          return;
        Value weight = op->getOperand(1);
        auto type = dyn_cast<RankedTensorType>(weight.getType());
        std::optional<std::vector<float>> values = readF32Constant(weight);
        if (!type || !values || values->empty())
          return;
        std::optional<WeightRows> rows = buildWeightRows(op, type);
        if (!rows)
          return;
        if (std::string error = checkShape(*rows, shape); !error.empty()) {
          // A model-wide structure that one layer cannot take (the 3 input
          // channels of a first convolution and n:m) leaves that layer dense.
          op.emitWarning() << "compress-prune: " << spellEnumOption(structure)
                           << " leaves " << op->getName() << " (" << key
                           << ") with a " << type << " weight dense: " << error;
          ++unfit;
          return;
        }
        Layer layer{op, key.str(), std::move(*rows), std::move(*values)};
        layer.sparsity = structure == PruneStructure::NM
                             ? 1.0 - static_cast<double>(n) / m
                             : static_cast<double>(sparsity);
        layers.push_back(std::move(layer));
      });
  if (layers.empty() && unfit > 0) {
    getOperation().emitError()
        << "compress-prune: " << spellEnumOption(structure)
        << " fits none of the weights (see the warnings)";
    return signalPassFailure();
  }

  bool magnitudeScores =
      method == PruneMethod::Magnitude || scope == PruneScope::Global;
  for (Layer &layer : layers) {
    if (!magnitudeScores)
      continue;
    std::vector<double> diagonal;
    if (criterion == PruneCriterion::Activation) {
      FailureOr<std::vector<double>> gram = readGram(layer);
      if (failed(gram))
        return signalPassFailure();
      int64_t size = layer.rows.gramSize;
      for (int64_t i = 0; i < size; ++i)
        diagonal.push_back((*gram)[i * size + i]);
    }
    layer.units = buildUnits(layer.rows, shape);
    layer.scores = elementScores(layer.rows, layer.values, criterion, diagonal);
    layer.unitScores = pruning::unitScores(layer.units, layer.scores);
  }

  // scope=global: one threshold over the unit scores of all layers; each
  // layer's sparsity is the fraction of its units below it (ties at the
  // threshold go to the earlier layers and lower ids).
  if (scope == PruneScope::Global) {
    std::vector<double> all;
    for (const Layer &layer : layers)
      llvm::append_range(all, layer.unitScores);
    auto total = static_cast<int64_t>(std::llround(sparsity * all.size()));
    if (total > 0) {
      std::nth_element(all.begin(), all.begin() + (total - 1), all.end());
      double threshold = all[total - 1];
      int64_t below = 0;
      for (const Layer &layer : layers)
        below += llvm::count_if(layer.unitScores,
                                [&](double s) { return s < threshold; });
      int64_t tiesLeft = total - below;
      for (Layer &layer : layers) {
        const std::vector<double> &scores = layer.unitScores;
        int64_t count =
            llvm::count_if(scores, [&](double s) { return s < threshold; });
        int64_t ties =
            llvm::count_if(scores, [&](double s) { return s == threshold; });
        int64_t take = std::min(ties, tiesLeft);
        tiesLeft -= take;
        layer.sparsity = static_cast<double>(count + take) / scores.size();
      }
    } else {
      for (Layer &layer : layers)
        layer.sparsity = 0;
    }
  }

  // A weight shared by several layers is replaced once per layer and
  // erased once.
  SetVector<Operation *> replaced;
  for (Layer &layer : layers) {
    Operation *weight = layer.op->getOperand(1).getDefiningOp();
    if (failed(pruneLayer(layer)))
      return signalPassFailure();
    if (weight != layer.op->getOperand(1).getDefiningOp())
      replaced.insert(weight);
  }
  eraseReplacedWeights(replaced.getArrayRef());
}

} // namespace
} // namespace mlir::compress
