//===- BodyCloning.cpp - Scalar linalg bodies applied to vectors ----------===//

#include "BodyCloning.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/IRMapping.h"

using namespace mlir;
using namespace mlir::compress::kernels;

namespace {

/// Clones one body lane-wise (see cloneLaneWise).
class LaneWiseCloner {
public:
  LaneWiseCloner(OpBuilder &b, Location loc, int64_t lanes)
      : b(b), loc(loc), lanes(lanes) {}

  SmallVector<Value> clone(Block &body, ValueRange args, ValueRange results,
                           const LaneWiseOptions &options);

private:
  VectorType vec(Type type) const { return VectorType::get({lanes}, type); }

  /// The vector of `value`; values from outside the body (scalars) are
  /// broadcast on first use.
  Value lookup(Value value) {
    if (!mapping.contains(value))
      mapping.map(value, vector::BroadcastOp::create(
                             b, loc, vec(value.getType()), value)
                             .getResult());
    return mapping.lookup(value);
  }

  /// The scalar of a broadcast scalar or splat constant vector, if `vector`
  /// is one (a splat constant's scalar is a new constant).
  Value scalarOf(Value vector);

  /// Clones `op`: on the scalars if every operand is a broadcast scalar,
  /// else on vectors.
  void cloneOp(Operation &op);

  OpBuilder &b;
  Location loc;
  int64_t lanes;
  IRMapping mapping;
};

} // namespace

Value LaneWiseCloner::scalarOf(Value vector) {
  if (auto splat = vector.getDefiningOp<vector::BroadcastOp>();
      splat && !isa<VectorType>(splat.getSource().getType()))
    return splat.getSource();
  if (auto constant = vector.getDefiningOp<arith::ConstantOp>();
      constant && isa<SplatElementsAttr>(constant.getValue()))
    return arith::ConstantOp::create(
        b, loc,
        cast<SplatElementsAttr>(constant.getValue())
            .getSplatValue<TypedAttr>());
  return nullptr;
}

void LaneWiseCloner::cloneOp(Operation &op) {
  // An op of broadcast scalars runs on the scalars, and its result is
  // broadcast: one scalar op instead of a vector op per row (a bf16
  // activation is widened before its broadcast, not after).
  SmallVector<Value> scalars;
  bool allScalars = op.getNumResults() == 1;
  for (Value operand : op.getOperands()) {
    Value mapped = lookup(operand);
    if (!allScalars)
      continue;
    if (Value scalar = scalarOf(mapped))
      scalars.push_back(scalar);
    else
      allScalars = false;
  }
  if (allScalars) {
    IRMapping scalarMapping;
    scalarMapping.map(op.getOperands(), scalars);
    Value scalar = b.clone(op, scalarMapping)->getResult(0);
    mapping.map(op.getResult(0), vector::BroadcastOp::create(
                                     b, loc, vec(scalar.getType()), scalar)
                                     .getResult());
    return;
  }
  Operation *clone = b.clone(op, mapping);
  for (OpResult result : clone->getResults())
    result.setType(vec(result.getType()));
}

SmallVector<Value> LaneWiseCloner::clone(Block &body, ValueRange args,
                                         ValueRange results,
                                         const LaneWiseOptions &options) {
  for (auto [arg, value] : llvm::zip(body.getArguments(), args))
    mapping.map(arg, value);
  for (auto [value, vector] : options.presets)
    mapping.map(value, vector);
  // Products fused into their additions: the mulf is emitted with its addf.
  llvm::DenseMap<Operation *, arith::MulFOp> fusedInto;
  llvm::SmallPtrSet<Operation *, 4> deferred;
  if (options.fuseMultiplyAdd) {
    for (auto add : body.getOps<arith::AddFOp>()) {
      for (Value operand : {add.getRhs(), add.getLhs()}) {
        auto mul = operand.getDefiningOp<arith::MulFOp>();
        if (mul && mul->getBlock() == &body && mul->hasOneUse() &&
            !(options.skip && options.skip(mul)) && !mapping.contains(mul)) {
          fusedInto[add] = mul;
          deferred.insert(mul);
          break;
        }
      }
    }
  }
  for (Operation &op : body.without_terminator()) {
    if (options.skip && options.skip(&op))
      continue;
    if (auto constant = dyn_cast<arith::ConstantOp>(op)) {
      auto splat =
          DenseElementsAttr::get(vec(constant.getType()), constant.getValue());
      mapping.map(constant.getResult(),
                  arith::ConstantOp::create(b, loc, splat).getResult());
      continue;
    }
    if (deferred.contains(&op))
      continue;
    if (op.getNumResults() == 1) {
      auto alias = llvm::find_if(options.aliases, [&](auto pair) {
        return pair.first == op.getResult(0);
      });
      if (alias != options.aliases.end()) {
        mapping.map(op.getResult(0), lookup(alias->second));
        continue;
      }
    }
    if (arith::MulFOp mul = fusedInto.lookup(&op)) {
      auto add = cast<arith::AddFOp>(op);
      Value addend =
          add.getLhs() == mul.getResult() ? add.getRhs() : add.getLhs();
      Value fma = vector::FMAOp::create(b, loc, lookup(mul.getLhs()),
                                        lookup(mul.getRhs()), lookup(addend));
      mapping.map(add.getResult(), fma);
      continue;
    }
    cloneOp(op);
  }
  return llvm::map_to_vector(results,
                             [&](Value value) { return lookup(value); });
}

SmallVector<Value> mlir::compress::kernels::cloneLaneWise(
    OpBuilder &b, Location loc, Block &body, ValueRange args, int64_t lanes,
    ValueRange results, const LaneWiseOptions &options) {
  return LaneWiseCloner(b, loc, lanes).clone(body, args, results, options);
}

SmallVector<Value>
mlir::compress::kernels::cloneScalar(OpBuilder &b, Block &body, ValueRange args,
                                     ValueRange results,
                                     function_ref<bool(Operation *)> skip) {
  IRMapping mapping;
  for (auto [arg, value] : llvm::zip(body.getArguments(), args))
    mapping.map(arg, value);
  for (Operation &op : body.without_terminator())
    if (!skip || !skip(&op))
      b.clone(op, mapping);
  return llvm::map_to_vector(
      results, [&](Value value) { return mapping.lookupOrDefault(value); });
}
