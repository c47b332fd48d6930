//===- BodyCloning.h - Scalar linalg bodies applied to vectors --*- C++ -*-===//
//
// The kernels apply the scalar body of a linalg op to whole vectors: every
// op of the body is cloned with vector types, lane by lane. Shared by the
// register-tiled kernels (Emitter.cpp) and the reductions to scalars
// (FullReduction.cpp).
//
//===----------------------------------------------------------------------===//

#ifndef COMPRESS_LIB_CODEGEN_CPU_KERNELS_BODYCLONING_H
#define COMPRESS_LIB_CODEGEN_CPU_KERNELS_BODYCLONING_H

#include "mlir/IR/Builders.h"

namespace mlir::compress::kernels {

/// How cloneLaneWise treats the body.
struct LaneWiseOptions {
  /// Body ops not to clone (e.g. the combiners of a reduction); none if
  /// null.
  function_ref<bool(Operation *)> skip = nullptr;
  /// A mulf whose only use is an addf (at most one per addf) is emitted
  /// together with it as one vector.fma, as the vector.contract lowerings
  /// do: one rounding instead of two.
  bool fuseMultiplyAdd = false;
  /// Body values whose vectors are given (e.g. looked up in a table)
  /// instead of computed; the ops computing them are to be skipped.
  ArrayRef<std::pair<Value, Value>> presets;
  /// Body values taken to be other body values (first := second): the op
  /// computing the first is not cloned (e.g. a product whose factor is
  /// applied elsewhere).
  ArrayRef<std::pair<Value, Value>> aliases;
};

/// Clones the ops of the scalar `body` (but its terminator) at `b`'s
/// insertion point, each applied lane-wise to vectors of `lanes` elements,
/// with the block arguments mapped to `args`. Constants become splats and
/// values defined outside the body are broadcast; an op whose operands are
/// all broadcast scalars runs on the scalars and its result is broadcast
/// (one scalar op instead of one vector op per use). Returns the vectors of
/// `results` (values of the body or used in it).
SmallVector<Value> cloneLaneWise(OpBuilder &b, Location loc, Block &body,
                                 ValueRange args, int64_t lanes,
                                 ValueRange results,
                                 const LaneWiseOptions &options = {});

/// Clones the ops of `body` (but its terminator and the ops `skip` accepts)
/// as they are, with the block arguments mapped to `args`; returns the
/// values of `results`.
SmallVector<Value> cloneScalar(OpBuilder &b, Block &body, ValueRange args,
                               ValueRange results,
                               function_ref<bool(Operation *)> skip);

} // namespace mlir::compress::kernels

#endif // COMPRESS_LIB_CODEGEN_CPU_KERNELS_BODYCLONING_H
