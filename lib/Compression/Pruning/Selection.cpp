//===- Selection.cpp - Which weights pruning removes ----------------------===//

#include "Selection.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"

#include <algorithm>
#include <cmath>
#include <numeric>

using namespace mlir;
using namespace mlir::compress;
using namespace mlir::compress::pruning;

std::optional<std::pair<int64_t, int64_t>>
mlir::compress::pruning::parseBlock(StringRef text) {
  auto [first, second] = text.split('x');
  int64_t r = 0, c = 0;
  if (first.getAsInteger(10, r) || second.getAsInteger(10, c) || r < 1 || c < 1)
    return std::nullopt;
  return std::make_pair(r, c);
}

std::string mlir::compress::pruning::checkShape(const WeightRows &rows,
                                                const PruneShape &shape) {
  auto along = [&](int64_t size, const char *what) -> std::string {
    if (rows.channels == 0)
      return "it has no input channel dim";
    if (rows.channels % size != 0)
      return (Twine(what) + " does not divide its " + Twine(rows.channels) +
              " input channels")
          .str();
    return "";
  };
  switch (shape.structure) {
  case PruneStructure::Unstructured:
    return "";
  case PruneStructure::NM:
    return along(shape.m, ("m=" + Twine(shape.m)).str().c_str());
  case PruneStructure::Block: {
    std::string block = (Twine("block=") + Twine(shape.blockChannels) + "x" +
                         Twine(shape.blockRows))
                            .str();
    if (std::string error = along(shape.blockChannels, block.c_str());
        !error.empty())
      return error;
    if (rows.numRows % shape.blockRows != 0)
      return block + " does not divide its " + std::to_string(rows.numRows) +
             " output channels";
    return "";
  }
  }
  return "";
}

Units mlir::compress::pruning::buildUnits(const WeightRows &rows,
                                          const PruneShape &shape) {
  Units units;
  int64_t total = rows.numRows * rows.rowSize;
  units.of.resize(total);
  if (shape.structure == PruneStructure::Unstructured) {
    std::iota(units.of.begin(), units.of.end(), int64_t{0});
    units.count = total;
    return units;
  }
  // Groups along the input channel: `along` channels of one row and one
  // position of the other reduced dims, times `across` rows.
  int64_t along =
      shape.structure == PruneStructure::NM ? shape.m : shape.blockChannels;
  int64_t across = shape.structure == PruneStructure::NM ? 1 : shape.blockRows;
  int64_t perChannelRun = rows.channels / along;
  int64_t restCount = rows.rowSize / rows.channels;
  int64_t perRowGroup = restCount * perChannelRun;
  for (int64_t row = 0; row < rows.numRows; ++row)
    for (int64_t k = 0; k < rows.rowSize; ++k)
      units.of[row * rows.rowSize + k] = (row / across) * perRowGroup +
                                         rows.rest[k] * perChannelRun +
                                         rows.channel[k] / along;
  units.count = (rows.numRows / across) * perRowGroup;
  return units;
}

std::vector<double> mlir::compress::pruning::elementScores(
    const WeightRows &rows, ArrayRef<float> weight, PruneCriterion criterion,
    ArrayRef<double> gramDiagonal) {
  int64_t total = rows.numRows * rows.rowSize;
  std::vector<double> scores(total);
  for (int64_t pos = 0; pos < total; ++pos) {
    double w = weight[rows.element[pos]];
    switch (criterion) {
    case PruneCriterion::L1:
      scores[pos] = std::fabs(w);
      break;
    case PruneCriterion::L2:
      scores[pos] = w * w;
      break;
    case PruneCriterion::Activation:
      scores[pos] =
          std::fabs(w) *
          std::sqrt(std::max(0.0, gramDiagonal[rows.gramColumn[pos]]));
      break;
    }
  }
  return scores;
}

std::vector<double>
mlir::compress::pruning::unitScores(const Units &units,
                                    ArrayRef<double> scores) {
  std::vector<double> sums(units.count, 0.0);
  for (auto [pos, unit] : llvm::enumerate(units.of))
    sums[unit] += scores[pos];
  return sums;
}

std::vector<bool> mlir::compress::pruning::lowestUnits(ArrayRef<double> scores,
                                                       int64_t count) {
  std::vector<bool> removed(scores.size(), false);
  if (count <= 0)
    return removed;
  std::vector<int64_t> order(scores.size());
  std::iota(order.begin(), order.end(), int64_t{0});
  auto less = [&](int64_t a, int64_t b) {
    return scores[a] < scores[b] || (scores[a] == scores[b] && a < b);
  };
  count = std::min<int64_t>(count, order.size());
  std::nth_element(order.begin(), order.begin() + (count - 1), order.end(),
                   less);
  for (int64_t i = 0; i < count; ++i)
    removed[order[i]] = true;
  return removed;
}

std::vector<bool> mlir::compress::pruning::nmMask(const Units &groups,
                                                  ArrayRef<double> scores,
                                                  int64_t n, int64_t m) {
  std::vector<std::vector<int64_t>> members(groups.count);
  for (auto [pos, group] : llvm::enumerate(groups.of))
    members[group].push_back(static_cast<int64_t>(pos));
  std::vector<bool> removed(groups.of.size(), false);
  for (std::vector<int64_t> &group : members) {
    llvm::sort(group, [&](int64_t a, int64_t b) {
      return scores[a] < scores[b] || (scores[a] == scores[b] && a < b);
    });
    for (int64_t i = 0; i < m - n && i < static_cast<int64_t>(group.size());
         ++i)
      removed[group[i]] = true;
  }
  return removed;
}

void mlir::compress::pruning::applyMask(
    const WeightRows &rows, const std::vector<bool> &removedPosition,
    std::vector<float> &weight) {
  for (size_t pos = 0; pos < removedPosition.size(); ++pos)
    if (removedPosition[pos])
      weight[rows.element[pos]] = 0.0f;
}
