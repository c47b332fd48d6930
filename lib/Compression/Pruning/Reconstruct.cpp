//===- Reconstruct.cpp - Pruning with least-squares reconstruction --------===//

#include "Reconstruct.h"

#include <Eigen/Dense>

#include <limits>

#include <algorithm>
#include <cmath>
#include <numeric>

using namespace mlir;
using namespace mlir::compress;
using namespace mlir::compress::pruning;

namespace {
/// Columns processed together: their updates to the later columns are
/// applied as one matrix product (SparseGPT's lazy batch).
constexpr int64_t kColumnBlock = 128;
/// Largest work (removals x columns^2 of a row set) done by greedy OBS
/// (about 10 s at Eigen's speed on one core); larger row sets use SparseGPT.
constexpr double kMaxObsWork = 2e10;

/// round(total * fraction) split over parts of sizes `sizes` by cumulative
/// rounding: the parts add up to exactly the rounded total.
std::vector<int64_t> splitCount(int64_t totalCount,
                                const std::vector<int64_t> &sizes) {
  int64_t all = std::accumulate(sizes.begin(), sizes.end(), int64_t{0});
  std::vector<int64_t> counts;
  int64_t seen = 0, given = 0;
  for (int64_t size : sizes) {
    seen += size;
    int64_t upTo = all == 0
                       ? 0
                       : static_cast<int64_t>(std::llround(
                             static_cast<double>(totalCount) * seen / all));
    counts.push_back(upTo - given);
    given = upTo;
  }
  return counts;
}
} // namespace

/// Greedy optimal brain surgeon on the rows of one row set (`w`: r x k, in
/// processing order; `hInv` the inverse of the dampened Gram matrix): each
/// group of `across` rows removes `counts[group]` units of `along`
/// consecutive columns, one unit at a time, the one whose removal raises
/// the group's error sum_i w_U^T [H^-1]_UU^-1 w_U least (n:m: among the
/// groups of m columns that have not lost m - n yet); after each removal
/// the group's remaining weights get the exact least-squares update and
/// H^-1 loses the unit's rows and columns (a downdate). The result is the
/// least-squares optimum for the removed set, chosen greedily.
static void obsRows(Eigen::MatrixXd &w, const Eigen::MatrixXd &hInv,
                    const PruneShape &shape, int64_t along, int64_t across,
                    const std::vector<int64_t> &counts) {
  using Eigen::Index;
  using Eigen::MatrixXd;
  const Index k = w.cols();
  const Index units = k / along;
  bool nm = shape.structure == PruneStructure::NM;
  for (Index g = 0; g * across < w.rows(); ++g) {
    MatrixXd h = hInv;
    MatrixXd rows = w.middleRows(g * across, across);
    std::vector<bool> alive(units, true);
    std::vector<int64_t> lost(nm ? k / shape.m : 0, 0);
    for (int64_t step = 0; step < counts[g]; ++step) {
      double best = std::numeric_limits<double>::infinity();
      Index bestUnit = -1;
      for (Index u = 0; u < units; ++u) {
        if (!alive[u] || (nm && lost[u / shape.m] >= shape.m - shape.n))
          continue;
        double loss = 0;
        if (along == 1) {
          double d = h(u, u);
          loss = rows.col(u).squaredNorm() / d;
        } else {
          MatrixXd hUU = h.block(u * along, u * along, along, along);
          MatrixXd wU = rows.middleCols(u * along, along);
          loss = (wU * hUU.ldlt().solve(wU.transpose())).trace();
        }
        if (loss < best) {
          best = loss;
          bestUnit = u;
        }
      }
      if (bestUnit < 0)
        break;
      Index c0 = bestUnit * along;
      if (along == 1) {
        double d = h(c0, c0);
        Eigen::VectorXd hq = h.col(c0);
        rows -= (rows.col(c0) / d) * hq.transpose();
        h -= hq * hq.transpose() / d;
      } else {
        MatrixXd hUU = h.block(c0, c0, along, along);
        auto ldlt = hUU.ldlt();
        MatrixXd hU = h.middleCols(c0, along); // k x along
        rows -= ldlt.solve(rows.middleCols(c0, along).transpose()).transpose() *
                hU.transpose();
        h -= hU * ldlt.solve(hU.transpose());
      }
      rows.middleCols(c0, along).setZero();
      h.middleRows(c0, along).setZero();
      h.middleCols(c0, along).setZero();
      // Keep the removed diagonal positive: they are never chosen again.
      for (Index j = c0; j < c0 + along; ++j)
        h(j, j) = 1;
      alive[bestUnit] = false;
      if (nm)
        ++lost[bestUnit / shape.m];
    }
    w.middleRows(g * across, across) = rows;
  }
}

std::string mlir::compress::pruning::reconstruct(const WeightRows &rows,
                                                 const PruneShape &shape,
                                                 double sparsity, double damp,
                                                 ReconstructSolver solver,
                                                 ArrayRef<double> gram,
                                                 std::vector<float> &weight) {
  using Eigen::Index;
  using Eigen::MatrixXd;
  const int64_t cols = rows.rowSize;
  const int64_t gramSize = rows.gramSize;
  bool nm = shape.structure == PruneStructure::NM;
  bool block = shape.structure == PruneStructure::Block;
  // Columns in the order (other reduced dims, input channel), so that the
  // channels of an n:m group or a block are consecutive.
  std::vector<int64_t> order(cols);
  std::iota(order.begin(), order.end(), int64_t{0});
  if (!rows.channel.empty())
    std::stable_sort(order.begin(), order.end(), [&](int64_t a, int64_t b) {
      return std::make_pair(rows.rest[a], rows.channel[a]) <
             std::make_pair(rows.rest[b], rows.channel[b]);
    });
  int64_t along = nm ? shape.m : block ? shape.blockChannels : 1;
  int64_t across = block ? shape.blockRows : 1;
  int64_t columnBlock = (kColumnBlock + along - 1) / along * along;

  // Units removed per row set (by their number of elements).
  std::vector<int64_t> setSizes;
  for (const std::vector<int64_t> &set : rows.rowSets) {
    if (static_cast<int64_t>(set.size()) % across != 0)
      return "block rows " + std::to_string(across) + " do not divide the " +
             std::to_string(set.size()) + " rows that share a Gram matrix";
    setSizes.push_back(static_cast<int64_t>(set.size()) / across * cols /
                       along);
  }
  int64_t layerUnits =
      std::accumulate(setSizes.begin(), setSizes.end(), int64_t{0});
  std::vector<int64_t> setCounts = splitCount(
      static_cast<int64_t>(std::llround(sparsity * layerUnits)), setSizes);

  for (auto [setIndex, set] : llvm::enumerate(rows.rowSets)) {
    const Index r = static_cast<Index>(set.size());
    const Index k = static_cast<Index>(cols);
    MatrixXd w(r, k), h(k, k);
    for (Index i = 0; i < r; ++i)
      for (Index j = 0; j < k; ++j)
        w(i, j) = weight[rows.element[set[i] * cols + order[j]]];
    const int64_t *gramColumn = &rows.gramColumn[set.front() * cols];
    for (Index i = 0; i < k; ++i)
      for (Index j = 0; j < k; ++j)
        h(i, j) = gram[gramColumn[order[i]] * gramSize + gramColumn[order[j]]];
    // Inputs never seen (zero variance) carry no information: their weights
    // go, and the diagonal entry becomes 1 so that H stays invertible.
    for (Index j = 0; j < k; ++j)
      if (h(j, j) == 0) {
        h(j, j) = 1;
        w.col(j).setZero();
      }
    h.diagonal().array() += damp * h.diagonal().mean();
    Eigen::LLT<MatrixXd> llt(h);
    if (llt.info() != Eigen::Success)
      return "its Gram matrix is not positive definite after dampening "
             "(damp=" +
             std::to_string(damp) + ")";
    MatrixXd hInv = llt.solve(MatrixXd::Identity(k, k));
    // Small layers: greedy OBS with exact updates of every remaining weight.
    int64_t groups = r / across;
    std::vector<int64_t> groupCounts(groups, 0);
    if (nm)
      std::fill(groupCounts.begin(), groupCounts.end(),
                cols / shape.m * (shape.m - shape.n));
    else
      groupCounts = splitCount(setCounts[setIndex],
                               std::vector<int64_t>(groups, cols / along));
    double work = 0;
    for (int64_t count : groupCounts)
      work += static_cast<double>(count) * k * k;
    if (solver == ReconstructSolver::OBS ||
        (solver == ReconstructSolver::Auto && work <= kMaxObsWork)) {
      obsRows(w, hInv, shape, nm ? 1 : along, across, groupCounts);
      for (Index i = 0; i < r; ++i)
        for (Index j = 0; j < k; ++j)
          weight[rows.element[set[i] * cols + order[j]]] =
              static_cast<float>(w(i, j));
      continue;
    }
    Eigen::LLT<MatrixXd> lltInv(hInv);
    if (lltInv.info() != Eigen::Success)
      return "the inverse of its Gram matrix is not positive definite";
    MatrixXd u = lltInv.matrixU();

    // Units removed per column block of this set.
    std::vector<int64_t> blockSizes;
    for (int64_t j1 = 0; j1 < cols; j1 += columnBlock)
      blockSizes.push_back(std::min(columnBlock, cols - j1) / along * r /
                           across);
    std::vector<int64_t> blockCounts =
        splitCount(setCounts[setIndex], blockSizes);

    for (int64_t j1 = 0, b = 0; j1 < cols; j1 += columnBlock, ++b) {
      const Index j2 = static_cast<Index>(std::min(j1 + columnBlock, cols));
      const Index count = j2 - static_cast<Index>(j1);
      MatrixXd w1 = w.middleCols(j1, count);
      MatrixXd err(r, count);
      Eigen::Matrix<bool, Eigen::Dynamic, Eigen::Dynamic> mask(r, count);
      mask.setConstant(false);
      auto saliency = [&](Index i, Index j) {
        double d = u(j1 + j, j1 + j);
        return w1(i, j) * w1(i, j) / (d * d);
      };
      if (!nm) {
        // Units of `along` columns x `across` rows, ranked once per block.
        Index unitCols = count / along, unitRows = r / across;
        std::vector<double> scores(unitRows * unitCols, 0.0);
        for (Index i = 0; i < r; ++i)
          for (Index j = 0; j < count; ++j)
            scores[(i / across) * unitCols + j / along] += saliency(i, j);
        std::vector<bool> removed = lowestUnits(scores, blockCounts[b]);
        for (Index i = 0; i < r; ++i)
          for (Index j = 0; j < count; ++j)
            mask(i, j) = removed[(i / across) * unitCols + j / along];
      }
      for (Index j = 0; j < count; ++j) {
        if (nm && j % along == 0) {
          // Each row keeps the n of the group's m with the highest
          // saliency, with the weights updated so far.
          for (Index i = 0; i < r; ++i) {
            std::vector<Index> group(along);
            std::iota(group.begin(), group.end(), j);
            std::stable_sort(group.begin(), group.end(), [&](Index a, Index b) {
              return saliency(i, a) < saliency(i, b);
            });
            for (int64_t g = 0; g < shape.m - shape.n; ++g)
              mask(i, group[g]) = true;
          }
        }
        double d = u(j1 + j, j1 + j);
        Eigen::VectorXd q = w1.col(j);
        for (Index i = 0; i < r; ++i)
          if (mask(i, j))
            q(i) = 0;
        Eigen::VectorXd e = (w1.col(j) - q) / d;
        w1.rightCols(count - j) -= e * u.row(j1 + j).segment(j1 + j, count - j);
        w1.col(j) = q;
        err.col(j) = e;
      }
      w.middleCols(j1, count) = w1;
      if (j2 < k)
        w.rightCols(k - j2) -= err * u.block(j1, j2, count, k - j2);
    }
    for (Index i = 0; i < r; ++i)
      for (Index j = 0; j < k; ++j)
        weight[rows.element[set[i] * cols + order[j]]] =
            static_cast<float>(w(i, j));
  }
  return "";
}

std::string mlir::compress::pruning::refitWithout(
    const WeightRows &rows, const std::vector<bool> &removed, double damp,
    ArrayRef<double> gram, std::vector<float> &weight) {
  using Eigen::Index;
  using Eigen::MatrixXd;
  const int64_t cols = rows.rowSize;
  for (const std::vector<int64_t> &set : rows.rowSets) {
    std::vector<Index> kept, gone;
    for (int64_t k = 0; k < cols; ++k)
      (removed[set.front() * cols + k] ? gone : kept).push_back(k);
    if (gone.empty())
      continue;
    const int64_t *gramColumn = &rows.gramColumn[set.front() * cols];
    auto h = [&](Index i, Index j) {
      return gram[gramColumn[i] * rows.gramSize + gramColumn[j]];
    };
    const Index nk = kept.size(), ng = gone.size();
    // Inputs never seen (zero variance) get a diagonal entry of 1, as in
    // reconstruct(), so that H stays invertible.
    auto diagonal = [&](Index i) { return h(i, i) == 0 ? 1.0 : h(i, i); };
    double mean = 0;
    for (int64_t k = 0; k < cols; ++k)
      mean += diagonal(k);
    mean /= static_cast<double>(cols);
    MatrixXd hKept(nk, nk), hCross(nk, ng);
    for (Index i = 0; i < nk; ++i) {
      for (Index j = 0; j < nk; ++j)
        hKept(i, j) = i == j ? diagonal(kept[i]) : h(kept[i], kept[j]);
      for (Index j = 0; j < ng; ++j)
        hCross(i, j) = h(kept[i], gone[j]);
    }
    hKept.diagonal().array() += damp * mean;
    Eigen::LLT<MatrixXd> llt(hKept);
    if (llt.info() != Eigen::Success)
      return "its Gram matrix is not positive definite after dampening "
             "(damp=" +
             std::to_string(damp) + ")";
    // transfer(i, j): how much of removed input j kept input i takes over.
    MatrixXd transfer = llt.solve(hCross);
    const Index r = static_cast<Index>(set.size());
    MatrixXd wGone(ng, r), wKept(nk, r);
    for (Index i = 0; i < r; ++i) {
      const int64_t *element = &rows.element[set[i] * cols];
      for (Index j = 0; j < ng; ++j)
        wGone(j, i) = weight[element[gone[j]]];
      for (Index j = 0; j < nk; ++j)
        wKept(j, i) = weight[element[kept[j]]];
    }
    wKept += transfer * wGone;
    for (Index i = 0; i < r; ++i) {
      const int64_t *element = &rows.element[set[i] * cols];
      for (Index j = 0; j < ng; ++j)
        weight[element[gone[j]]] = 0;
      for (Index j = 0; j < nk; ++j)
        weight[element[kept[j]]] = static_cast<float>(wKept(j, i));
    }
  }
  return "";
}
