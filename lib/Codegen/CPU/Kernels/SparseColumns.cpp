//===- SparseColumns.cpp - A sparse weight stored by columns --------------===//

#include "SparseColumns.h"

#include <algorithm>

using namespace mlir::compress::kernels;

/// Element (row, col) of the block-diagonal (batches x K) x (batches x N)
/// form of a batches x K x N `weight` (zero outside the diagonal blocks).
template <typename T>
static T blockDiagonal(llvm::ArrayRef<T> weight, int64_t k, int64_t n,
                       int64_t row, int64_t col) {
  if (row / k != col / n)
    return T(0);
  // Row row of the block-diagonal weight is row row % K of batch b:
  // element (row, col % n) of the batches x K x N array seen as
  // (batches x K) x N.
  return weight[row * n + col % n];
}

template <typename T>
SparseColumns<T> mlir::compress::kernels::packSparseColumns(
    llvm::ArrayRef<T> weight, int64_t k, int64_t n, int64_t group,
    int64_t rowsPerBlock, int64_t batches, bool paired) {
  SparseColumns<T> columns;
  columns.offsets.push_back(0);
  // Rows and columns of the (block-diagonal) weight stored.
  int64_t allRows = batches * k, allColumns = batches * n;
  // Blocks of rows outside, columns inside (one block when rowsPerBlock
  // is 0).
  int64_t blockRows =
      rowsPerBlock > 0 ? rowsPerBlock : std::max<int64_t>(allRows, 1);
  auto add = [&](int64_t row, T value) {
    columns.rows.push_back(static_cast<int32_t>(row));
    columns.values.push_back(value);
  };
  auto endRange = [&](int64_t first) {
    while (columns.rows.size() % group != 0)
      add(first, T(0));
    columns.offsets.push_back(static_cast<int32_t>(columns.rows.size()));
  };
  for (int64_t first = 0; first < std::max<int64_t>(allRows, 1);
       first += blockRows) {
    int64_t last = std::min(first + blockRows, allRows);
    if (paired) {
      for (int64_t col = 0; col + 1 < allColumns; col += 2) {
        // The rows of the two columns' batches in this block.
        int64_t begin = std::max(first, col / n * k);
        int64_t end = std::min(last, ((col + 1) / n + 1) * k);
        for (int64_t row = begin; row < end; ++row) {
          T a = blockDiagonal(weight, k, n, row, col);
          T b = blockDiagonal(weight, k, n, row, col + 1);
          if (a != T(0) && b != T(0)) {
            add(row, a);
            add(row, b);
          }
        }
        endRange(first);
        for (int64_t c = 0; c < 2; ++c) {
          for (int64_t row = begin; row < end; ++row) {
            T value = blockDiagonal(weight, k, n, row, col + c);
            T other = blockDiagonal(weight, k, n, row, col + 1 - c);
            if (value != T(0) && other == T(0))
              add(row, value);
          }
          endRange(first);
        }
      }
      continue;
    }
    for (int64_t col = 0; col < allColumns; ++col) {
      // Column col of batch b: its rows of the block, within the batch's.
      int64_t batch = col / n;
      int64_t begin = std::max(first, batch * k);
      int64_t end = std::min(last, (batch + 1) * k);
      for (int64_t row = begin; row < end; ++row) {
        T value = blockDiagonal(weight, k, n, row, col);
        if (value != T(0))
          add(row, value);
      }
      endRange(first);
    }
  }
  return columns;
}

template SparseColumns<float> mlir::compress::kernels::packSparseColumns<float>(
    llvm::ArrayRef<float>, int64_t, int64_t, int64_t, int64_t, int64_t, bool);
template SparseColumns<int8_t>
mlir::compress::kernels::packSparseColumns<int8_t>(llvm::ArrayRef<int8_t>,
                                                   int64_t, int64_t, int64_t,
                                                   int64_t, int64_t, bool);

static bool zeroBlock(llvm::ArrayRef<float> weight, int64_t n, int64_t row,
                      int64_t col0, int64_t width) {
  for (int64_t c = 0; c < width; ++c)
    if (weight[row * n + col0 + c] != 0.0f)
      return false;
  return true;
}

SparseBlocks
mlir::compress::kernels::packSparseBlocks(llvm::ArrayRef<float> weight,
                                          int64_t k, int64_t n, int64_t width,
                                          int64_t group) {
  SparseBlocks blocks;
  blocks.offsets.push_back(0);
  for (int64_t col0 = 0; col0 < n; col0 += width) {
    for (int64_t row = 0; row < k; ++row) {
      if (zeroBlock(weight, n, row, col0, width))
        continue;
      blocks.rows.push_back(static_cast<int32_t>(row));
      for (int64_t c = 0; c < width; ++c)
        blocks.values.push_back(weight[row * n + col0 + c]);
    }
    while (blocks.rows.size() % group != 0) {
      blocks.rows.push_back(0);
      blocks.values.insert(blocks.values.end(), width, 0.0f);
    }
    blocks.offsets.push_back(static_cast<int32_t>(blocks.rows.size()));
  }
  return blocks;
}

template <typename T>
std::optional<NMWeight<T>>
mlir::compress::kernels::packNMWeight(llvm::ArrayRef<T> weight, int64_t k,
                                      int64_t n, int64_t keep, int64_t m) {
  int64_t tiles = (n + 15) / 16, slots = k / m * keep;
  NMWeight<T> packed;
  packed.values.assign(tiles * slots * 16, T(0));
  packed.words.assign(tiles * slots, 0);
  for (int64_t group = 0; group < k / m; ++group) {
    for (int64_t col = 0; col < n; ++col) {
      int64_t kept = 0, tile = col / 16, lane = col % 16;
      for (int64_t position = 0; position < m; ++position) {
        T value = weight[(group * m + position) * n + col];
        if (value == T(0))
          continue;
        if (kept == keep)
          return std::nullopt;
        int64_t slot = tile * slots + group * keep + kept++;
        packed.values[slot * 16 + lane] = value;
        packed.words[slot] |=
            static_cast<int32_t>(static_cast<uint32_t>(position) << (2 * lane));
      }
    }
  }
  return packed;
}

template std::optional<NMWeight<float>>
mlir::compress::kernels::packNMWeight<float>(llvm::ArrayRef<float>, int64_t,
                                             int64_t, int64_t, int64_t);
template std::optional<NMWeight<int8_t>>
mlir::compress::kernels::packNMWeight<int8_t>(llvm::ArrayRef<int8_t>, int64_t,
                                              int64_t, int64_t, int64_t);
