//===- CodeTables.h - Sub-byte weights decoded through tables ---*- C++ -*-===//
//
// A kernel whose body reads 4-bit (or narrower) codes from a constant
// decodes them with table lookups: every value of the body that is computed
// from the code alone (extension, zero point, conversion, a per-tensor
// scale, the log2 exponent construction) takes one of at most 16 values,
// which are computed at compile time by folding the body's ops, and read at
// run time with one `compress.lookup` (vpermps) per vector. Planning only:
// nothing here builds IR.
//
//===----------------------------------------------------------------------===//

#ifndef COMPRESS_LIB_CODEGEN_CPU_KERNELS_CODETABLES_H
#define COMPRESS_LIB_CODEGEN_CPU_KERNELS_CODETABLES_H

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "llvm/ADT/SmallPtrSet.h"

#include <optional>

namespace mlir::compress::kernels {

/// The tables of one sub-byte input of a kernel body.
struct CodeTable {
  /// Index of the input (and block argument) holding the codes.
  unsigned input = 0;
  /// The body values computed from the code alone that other ops (or the
  /// terminator) use, each with its 16 values by code (32-bit integers or
  /// floats; entries past the code range repeat code 0's).
  SmallVector<std::pair<Value, DenseElementsAttr>> entries;
  /// The body ops the tables replace.
  llvm::SmallPtrSet<Operation *, 8> ops;
};

/// True for an integer type of 1 to 4 bits (codes a table can hold).
bool isSubByteCodeType(Type type);

/// Plans the tables of input `input` of `op` (its body's argument must have a
/// sub-byte integer type). Fails if a value computed from the code alone and
/// used elsewhere is not 32 bits wide, if the code itself is used by an op
/// that also reads other values, or if an op cannot be folded.
std::optional<CodeTable> planCodeTable(linalg::LinalgOp op, unsigned input);

} // namespace mlir::compress::kernels

#endif // COMPRESS_LIB_CODEGEN_CPU_KERNELS_CODETABLES_H
