//===- SparseColumns.cpp - A sparse weight stored by columns --------------===//

#include "SparseColumns.h"

using namespace mlir::compress::kernels;

SparseColumns mlir::compress::kernels::packSparseColumns(
    llvm::ArrayRef<float> weight, int64_t k, int64_t n, int64_t group) {
  SparseColumns columns;
  columns.offsets.push_back(0);
  for (int64_t col = 0; col < n; ++col) {
    for (int64_t row = 0; row < k; ++row) {
      float value = weight[row * n + col];
      if (value != 0.0f) {
        columns.rows.push_back(static_cast<int32_t>(row));
        columns.values.push_back(value);
      }
    }
    while (columns.rows.size() % group != 0) {
      columns.rows.push_back(0);
      columns.values.push_back(0.0f);
    }
    columns.offsets.push_back(static_cast<int32_t>(columns.rows.size()));
  }
  return columns;
}

double mlir::compress::kernels::zeroFraction(llvm::ArrayRef<float> weight) {
  if (weight.empty())
    return 0;
  int64_t zeros = 0;
  for (float value : weight)
    zeros += value == 0.0f;
  return static_cast<double>(zeros) / static_cast<double>(weight.size());
}
