//===- WeightPacking.cpp - Byte layouts of repacked weights ---------------===//

#include "WeightPacking.h"
#include "mlir/Dialect/Utils/IndexingUtils.h"
#include "llvm/Support/MathExtras.h"

#include <algorithm>
#include <cstring>

using namespace mlir;
using namespace mlir::compress::kernels;

PanelLayout PanelLayout::get(ArrayRef<int64_t> shape, int64_t tile) {
  PanelLayout layout;
  layout.tile = tile;
  layout.columns = shape.back();
  layout.rows = computeProduct(shape) / std::max<int64_t>(layout.columns, 1);
  return layout;
}

int64_t PanelLayout::tiles() const { return llvm::divideCeil(columns, tile); }

SmallVector<int64_t> PanelLayout::packedShape(ArrayRef<int64_t> shape) const {
  SmallVector<int64_t> packed{tiles()};
  llvm::append_range(packed, shape.drop_back());
  packed.push_back(tile);
  return packed;
}

std::vector<char>
mlir::compress::kernels::packPanels(ArrayRef<char> bytes, size_t elementBytes,
                                    const PanelLayout &layout) {
  std::vector<char> packed(layout.elements() * elementBytes, 0);
  SmallVector<int64_t> target =
      computeStrides({layout.tiles(), layout.rows, layout.tile});
  SmallVector<int64_t> source = computeStrides({layout.rows, layout.columns});
  for (int64_t r = 0; r < layout.rows; ++r) {
    for (int64_t v = 0; v < layout.columns; ++v) {
      int64_t to = linearize({v / layout.tile, r, v % layout.tile}, target);
      int64_t from = linearize({r, v}, source);
      std::memcpy(&packed[to * elementBytes], &bytes[from * elementBytes],
                  elementBytes);
    }
  }
  return packed;
}

std::vector<char>
mlir::compress::kernels::packNibblePanels(ArrayRef<uint8_t> codes,
                                          const PanelLayout &layout) {
  int64_t half = layout.tile / 2;
  std::vector<char> packed(layout.tiles() * layout.rows * half, 0);
  SmallVector<int64_t> target =
      computeStrides({layout.tiles(), layout.rows, half});
  for (int64_t r = 0; r < layout.rows; ++r) {
    for (int64_t v = 0; v < layout.columns; ++v) {
      int64_t column = v % layout.tile;
      int64_t to = linearize({v / layout.tile, r, column % half}, target);
      uint8_t nibble = codes[r * layout.columns + v] & 0xF;
      packed[to] = static_cast<char>(static_cast<uint8_t>(packed[to]) |
                                     (column < half ? nibble : nibble << 4));
    }
  }
  return packed;
}

int64_t GroupedPanelLayout::tiles() const {
  return llvm::divideCeil(columns, tile);
}

int64_t GroupedPanelLayout::groups() const {
  return llvm::divideCeil(groupExtent, group);
}

int64_t GroupedPanelLayout::otherCount() const {
  return computeProduct(otherExtents);
}

/// Calls `fn(source, target, v, other)` for every element of the weight:
/// its element offset in the source, in the packed layout, its column and
/// its linearized other reduction index.
template <typename Fn>
static void forEachElement(const GroupedPanelLayout &layout, Fn fn) {
  int64_t otherCount = layout.otherCount();
  SmallVector<int64_t> otherBasis = computeStrides(layout.otherExtents);
  SmallVector<int64_t> target = computeStrides(
      {layout.tiles(), otherCount, layout.groups(), layout.tile, layout.group});
  for (int64_t other = 0; other < otherCount; ++other) {
    int64_t otherOffset =
        linearize(delinearize(other, otherBasis), layout.otherStrides);
    for (int64_t k = 0; k < layout.groupExtent; ++k) {
      for (int64_t v = 0; v < layout.columns; ++v) {
        int64_t from = otherOffset + linearize({k, v}, {layout.groupStride,
                                                        layout.columnStride});
        int64_t to = linearize({v / layout.tile, other, k / layout.group,
                                v % layout.tile, k % layout.group},
                               target);
        fn(from, to, v, other);
      }
    }
  }
}

std::vector<char>
mlir::compress::kernels::packGroupedPanels(ArrayRef<char> weight,
                                           size_t elementBytes,
                                           const GroupedPanelLayout &layout) {
  std::vector<char> packed(layout.elements() * elementBytes, 0);
  forEachElement(layout, [&](int64_t from, int64_t to, int64_t, int64_t) {
    std::memcpy(&packed[to * elementBytes], &weight[from * elementBytes],
                elementBytes);
  });
  return packed;
}

SmallVector<int32_t> mlir::compress::kernels::columnSums(
    ArrayRef<char> weight, const GroupedPanelLayout &layout, int32_t scale) {
  // The sums of every other reduction index, added up.
  int64_t padded = layout.paddedColumns();
  SmallVector<int32_t> perGroup = groupColumnSums(weight, layout, scale);
  SmallVector<int32_t> sums(padded, 0);
  for (auto [i, sum] : llvm::enumerate(perGroup))
    sums[i % padded] += sum;
  return sums;
}

SmallVector<int32_t> mlir::compress::kernels::groupColumnSums(
    ArrayRef<char> weight, const GroupedPanelLayout &layout, int32_t scale) {
  int64_t padded = layout.paddedColumns();
  SmallVector<int32_t> sums(layout.otherCount() * padded, 0);
  forEachElement(layout, [&](int64_t from, int64_t, int64_t v, int64_t other) {
    sums[other * padded + v] +=
        scale * static_cast<int32_t>(static_cast<int8_t>(weight[from]));
  });
  return sums;
}

std::vector<char> mlir::compress::kernels::packNibblePairs(
    ArrayRef<char> panels, int64_t registerBytes, int64_t chunks) {
  assert(chunks % 2 == 0 && "pairs of registers");
  int64_t block = registerBytes * chunks;
  assert(static_cast<int64_t>(panels.size()) % block == 0 && "whole panels");
  int64_t half = chunks / 2;
  std::vector<char> packed(panels.size() / 2);
  auto nibble = [](char code) { return static_cast<uint8_t>(code + 8) & 0xF; };
  for (int64_t base = 0, out = 0; base < static_cast<int64_t>(panels.size());
       base += block)
    for (int64_t j = 0; j < half; ++j)
      for (int64_t i = 0; i < registerBytes; ++i, ++out)
        packed[out] = static_cast<char>(
            nibble(panels[base + j * registerBytes + i]) |
            nibble(panels[base + (j + half) * registerBytes + i]) << 4);
  return packed;
}
