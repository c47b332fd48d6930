//===- WeightPacking.h - Byte layouts of repacked weights -------*- C++ -*-===//
//
// The compile-time repacking of constant weights into the layouts the
// kernels stream through. Functions from the constant's bytes, its shape and
// the kernel's plan to the packed bytes (and column sums): no IR is read or
// built here. Further formats (N:M and other sparse layouts) belong here.
//
//===----------------------------------------------------------------------===//

#ifndef COMPRESS_LIB_CODEGEN_CPU_KERNELS_WEIGHTPACKING_H
#define COMPRESS_LIB_CODEGEN_CPU_KERNELS_WEIGHTPACKING_H

#include "mlir/Support/LLVM.h"
#include "llvm/ADT/SmallVector.h"

#include <cstdint>
#include <vector>

namespace mlir::compress::kernels {

/// Vector-tile panels of a row-major constant whose innermost dim is the
/// kernel's vector dim: [tiles][rows][tile], zero past the last column, so
/// each vector tile streams through contiguous memory.
struct PanelLayout {
  int64_t tile = 0;    // columns per panel (the register tile)
  int64_t columns = 0; // extent of the innermost dim
  int64_t rows = 0;    // product of the other extents

  /// The layout of a constant of `shape` in panels of `tile` columns.
  static PanelLayout get(ArrayRef<int64_t> shape, int64_t tile);

  int64_t tiles() const;
  int64_t elements() const { return tiles() * rows * tile; }
  /// The packed tensor's shape: [tiles, <shape but the last dim>, tile].
  SmallVector<int64_t> packedShape(ArrayRef<int64_t> shape) const;
};

/// `bytes` (row-major, `elementBytes` per element) in `layout`.
std::vector<char> packPanels(ArrayRef<char> bytes, size_t elementBytes,
                             const PanelLayout &layout);

/// Sub-byte codes (one per element, in the low 4 bits of `codes`, row-major)
/// in the panels of `layout`, two per byte: byte j of a panel row holds the
/// code of the panel's column j in its low nibble and that of column
/// j + tile / 2 in its high nibble (code 0 past the last column). The packed
/// tensor's shape is packedShape(shape) with tile / 2 as its last extent.
/// The kernel reads tile / 2 bytes per row: the low nibbles are its first
/// lanes, the high nibbles the others.
std::vector<char> packNibblePanels(ArrayRef<uint8_t> codes,
                                   const PanelLayout &layout);

/// Panels of a dot-product weight (VNNI: 4 i8, bf16: 2 elements per group):
/// element (k, v, other) of the weight, k the grouped reduction dim, v the
/// vector dim and `other` the linearized other reduction dims, goes to
///   [v / tile][other][k / group][v % tile][k % group]
/// (zero beyond the extents), so the inner loop over k / group reads one
/// contiguous panel and each group of a column is one 32-bit lane.
struct GroupedPanelLayout {
  int64_t tile = 0;                  // columns per panel
  int64_t group = 0;                 // reduction elements per lane
  int64_t columns = 0;               // extent of the vector dim
  int64_t groupExtent = 0;           // extent of the grouped reduction dim
  SmallVector<int64_t> otherExtents; // the other reduction dims, in order
  /// Element strides in the source weight of the vector dim, the grouped
  /// dim and each other reduction dim.
  int64_t columnStride = 0;
  int64_t groupStride = 0;
  SmallVector<int64_t> otherStrides;

  int64_t tiles() const;
  int64_t groups() const;
  /// Product of the other reduction extents.
  int64_t otherCount() const;
  /// Columns padded to whole tiles.
  int64_t paddedColumns() const { return tiles() * tile; }
  int64_t elements() const {
    return otherCount() * groups() * paddedColumns() * group;
  }
};

/// `weight` (`elementBytes` per element) in `layout`.
std::vector<char> packGroupedPanels(ArrayRef<char> weight, size_t elementBytes,
                                    const GroupedPanelLayout &layout);

/// Grouped panels of 4-bit codes (`panels`: packGroupedPanels of the codes
/// sign-extended to bytes, `chunks` registers of `registerBytes` per panel
/// row), two per byte: byte i of register j < chunks / 2 holds byte i of
/// register j in its low nibble and byte i of register j + chunks / 2 in its
/// high nibble, each as code + 8 (0 to 15), so that a kernel decodes a
/// register by a mask or a shift and a subtraction of 8.
std::vector<char> packNibblePairs(ArrayRef<char> panels, int64_t registerBytes,
                                  int64_t chunks);

/// `scale` times the sum of each column of the i8 `weight` over all
/// reduction indices (`layout` locates them), padded with zeros to whole
/// tiles. VNNI kernels subtract 128 times these sums to undo the offset of
/// their unsigned activation.
SmallVector<int32_t> columnSums(ArrayRef<char> weight,
                                const GroupedPanelLayout &layout,
                                int32_t scale);

/// columnSums per index of the other reduction dims: [other][padded
/// columns], for kernels that accumulate each of them separately.
SmallVector<int32_t> groupColumnSums(ArrayRef<char> weight,
                                     const GroupedPanelLayout &layout,
                                     int32_t scale);

} // namespace mlir::compress::kernels

#endif // COMPRESS_LIB_CODEGEN_CPU_KERNELS_WEIGHTPACKING_H
