//===- InputAccess.h - How a kernel reads each operand ----------*- C++ -*-===//
//
// How each input of a register-tiled kernel is read along the vector dim
// (the innermost output dim): one broadcast scalar, a contiguous vector, a
// strided vector, or a gather. Analysis of indexing maps and shapes only;
// nothing here builds IR.
//
//===----------------------------------------------------------------------===//

#ifndef COMPRESS_LIB_CODEGEN_CPU_KERNELS_INPUTACCESS_H
#define COMPRESS_LIB_CODEGEN_CPU_KERNELS_INPUTACCESS_H

#include "mlir/IR/AffineMap.h"
#include "mlir/IR/Value.h"
#include "llvm/ADT/SmallVector.h"

#include <optional>

namespace mlir::compress::kernels {

/// How a kernel input is read at one point of the register tile.
enum class Access {
  /// Does not depend on the vector dim: one scalar, broadcast.
  Broadcast,
  /// The innermost index is `v + (terms without v)`: a vector load.
  Contiguous,
  /// The innermost index is `s * v + ...` with a constant s > 1: a vector
  /// load of s times the lanes, then every s-th element.
  Strided,
  /// Any other affine read of a tensor static but for its outermost dim:
  /// consecutive lanes are a constant number of elements apart in memory
  /// (e.g. a transpose); a vector.gather.
  Gather,
};

/// An input of the kernel: the value, its indexing map over the root op's
/// loops, and how it is read.
struct KernelInput {
  Value value;
  AffineMap map; // null for a scalar (non-shaped) input
  Access access = Access::Broadcast;
  /// Lanes apart in the innermost dim (Strided) or in memory (Gather).
  int64_t stride = 1;
  bool dependsOnRows = false;
  /// A gathered input whose innermost index advances by one with the row
  /// dim (a transpose): a whole block of rows is read as one vector of rows
  /// per lane and transposed in registers instead of gathered per row.
  bool rowContiguous = false;
  /// Read from a repacked copy of the constant: shape [vector tiles,
  /// <the other dims>, tile], read at [v0 / tile, <map results but the
  /// last>, chunk * lanes] (see WeightPacking.h).
  bool packed = false;
  /// Sub-byte codes read from nibble panels (packNibblePanels): a load
  /// yields the codes as i32 lanes (only the low 4 bits are meaningful),
  /// which the kernel decodes through its code table.
  bool nibbles = false;
  /// For a packed constant whose indexing map did not end with the vector
  /// dim: the order of the constant's dims in the repacked copy (the vector
  /// dim's last; `map` is already in this order). Empty otherwise.
  SmallVector<int64_t> permutation;
};

/// Classifies how `value`, read through `map` (over the root's loops; null
/// for a scalar), is read along `vectorDim` by vectors of `lanes` elements.
/// Returns nothing if the read is none of the supported kinds.
std::optional<KernelInput> classifyInput(Value value, AffineMap map,
                                         unsigned vectorDim, unsigned lanes);

} // namespace mlir::compress::kernels

#endif // COMPRESS_LIB_CODEGEN_CPU_KERNELS_INPUTACCESS_H
