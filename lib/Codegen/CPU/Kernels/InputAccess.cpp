//===- InputAccess.cpp - How a kernel reads each operand ------------------===//

#include "InputAccess.h"
#include "mlir/Dialect/Utils/IndexingUtils.h"
#include "mlir/IR/BuiltinTypes.h"

using namespace mlir;
using namespace mlir::compress::kernels;

/// The distance in elements between consecutive lanes of a read of the
/// row-major tensor `value` (static but for its outermost dim) through the
/// affine `map` along `vectorDim`, if it is a constant and the offsets of
/// `lanes` lanes stay below 2^30 (they are i32).
static std::optional<int64_t> gatherStride(Value value, AffineMap map,
                                           unsigned vectorDim, unsigned lanes) {
  // All dims but the outermost (a dynamic batch) must be static.
  auto type = dyn_cast<RankedTensorType>(value.getType());
  if (!type || type.getRank() == 0 ||
      llvm::any_of(type.getShape().drop_front(), ShapedType::isDynamic))
    return std::nullopt;
  if (map.getNumSymbols() != 0 ||
      !llvm::all_of(map.getResults(),
                    [](AffineExpr expr) { return expr.isPureAffine(); }))
    return std::nullopt;
  // The indices at the origin and one step along the vector dim.
  SmallVector<int64_t> origin(map.getNumDims(), 0);
  SmallVector<int64_t> step(origin);
  step[vectorDim] = 1;
  SmallVector<int64_t, 4> at0 = map.compose(origin);
  SmallVector<int64_t, 4> at1 = map.compose(step);
  SmallVector<int64_t> delta;
  for (auto [a, b] : llvm::zip_equal(at1, at0))
    delta.push_back(a - b);
  // Row-major strides (the outermost size, maybe dynamic, is never used).
  SmallVector<int64_t> sizes(type.getShape());
  sizes.front() = 1;
  int64_t stride = linearize(delta, computeStrides(sizes));
  if (stride <= 0 || stride >= (int64_t{1} << 30) / lanes)
    return std::nullopt;
  return stride;
}

std::optional<KernelInput>
mlir::compress::kernels::classifyInput(Value value, AffineMap map,
                                       unsigned vectorDim, unsigned lanes) {
  KernelInput input;
  input.value = value;
  input.map = map;
  if (!map)
    return input;
  if (!map.isFunctionOfDim(vectorDim))
    return input;
  auto gather = [&]() -> std::optional<KernelInput> {
    std::optional<int64_t> stride = gatherStride(value, map, vectorDim, lanes);
    if (!stride)
      return std::nullopt;
    input.access = Access::Gather;
    input.stride = *stride;
    return input;
  };
  unsigned last = map.getNumResults() - 1;
  for (unsigned i = 0; i < last; ++i)
    if (map.getResult(i).isFunctionOfDim(vectorDim))
      return gather();
  AffineExpr expr = map.getResult(last);
  AffineExpr dim = getAffineDimExpr(vectorDim, map.getContext());
  for (int64_t stride : {1, 2, 3, 4}) {
    AffineExpr rest =
        simplifyAffineExpr(expr - dim * stride, map.getNumDims(), 0);
    if (!rest.isFunctionOfDim(vectorDim)) {
      input.access = stride == 1 ? Access::Contiguous : Access::Strided;
      input.stride = stride;
      return input;
    }
  }
  return gather();
}
