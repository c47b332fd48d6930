//===- FullReduction.cpp - Vectorized reductions to scalars ---------------===//
//
// Part of --compress-tile-and-vectorize. A linalg.generic whose loops are
// all reductions and whose results are 0-D (the min and max of a tensor
// that dynamic quantization computes at run time, an integer sum, ...) has
// no parallel dim for the register-tiled kernels. It becomes one loop over
// the flattened inputs, a vector at a time, with one vector accumulator per
// result, then a horizontal vector.reduction and a scalar loop over the
// remaining elements:
//
//   acc_i = splat(init_i) (min, max, and, or) or the neutral element
//   for v in 0 .. n - n % lanes step lanes:
//     acc_i = combine_i(acc_i, expr_i(x[v : v + lanes]))
//   r_i = reduce_combine_i(acc_i, init_i)
//   for v in n - n % lanes .. n:  r_i = combine_i(r_i, expr_i(x[v]))
//
// Only combiners whose result does not depend on the order qualify: float
// and integer min/max and integer add, mul, and, or, xor (a float sum
// would round differently).
//
// A large input (at least kMinSplitElements, static) is split into
// kChunks ranges of whole vectors whose loop threads may share
// (compress-parallelize): each range reduces into its own vector
// accumulators, written to a partial-results tensor, which are then
// combined (a dynamically quantized activation's range was the one serial
// phase of its layer on two threads).
//
//===----------------------------------------------------------------------===//

#include "FullReduction.h"
#include "BodyCloning.h"
#include "compress/Codegen/Passes.h"
#include "compress/Utils/IRUtils.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

namespace mlir::compress::kernels {
namespace {

/// Ranges of a split reduction, and the smallest input that is split.
constexpr int64_t kChunks = 16;
constexpr int64_t kMinSplitElements = int64_t{1} << 16;

/// One result of the reduction: `combiner(out, value)`.
struct Reduced {
  Operation *combiner;
  vector::CombiningKind kind;
  Value value; // the combined body value (independent of every output)
};

} // namespace

static bool isIdempotent(vector::CombiningKind kind) {
  return kind != vector::CombiningKind::ADD &&
         kind != vector::CombiningKind::MUL &&
         kind != vector::CombiningKind::XOR;
}

/// Matches `op` and returns one entry per result, or nothing.
static std::optional<SmallVector<Reduced>> match(linalg::GenericOp op) {
  if (!op.hasPureTensorSemantics() || op.getNumLoops() == 0 ||
      op.getNumReductionLoops() != op.getNumLoops() ||
      op.getNumDpsInputs() == 0)
    return std::nullopt;
  Block *body = op.getBlock();
  // Inputs: tensors of one shape read through one permutation (the order
  // of the iterations does not matter, only which elements go together);
  // outputs: 0-D tensors.
  OpOperand *first = op.getDpsInputOperand(0);
  for (OpOperand *input : op.getDpsInputOperands()) {
    auto type = dyn_cast<RankedTensorType>(input->get().getType());
    if (!type || !op.getMatchingIndexingMap(input).isPermutation() ||
        op.getMatchingIndexingMap(input) != op.getMatchingIndexingMap(first) ||
        type.getShape() !=
            cast<RankedTensorType>(first->get().getType()).getShape())
      return std::nullopt;
  }
  for (BlockArgument arg : body->getArguments())
    if (!isa<IntegerType, FloatType>(arg.getType()))
      return std::nullopt;
  for (Operation &inner : body->without_terminator())
    if (inner.getNumRegions() != 0 ||
        !(inner.hasTrait<OpTrait::Elementwise>() ||
          isa<arith::ConstantOp>(inner)) ||
        llvm::any_of(inner.getResultTypes(), [](Type type) {
          return !isa<IntegerType, FloatType>(type);
        }))
      return std::nullopt;
  SmallVector<Reduced> results;
  auto outputs = body->getArguments().drop_front(op.getNumDpsInputs());
  for (auto [init, yielded, out] : llvm::zip(
           op.getDpsInits(), body->getTerminator()->getOperands(), outputs)) {
    auto type = dyn_cast<RankedTensorType>(init.getType());
    Operation *combiner = yielded.getDefiningOp();
    if (!type || type.getRank() != 0 || !combiner ||
        combiner->getBlock() != body || !out.hasOneUse() ||
        out.getUses().begin()->getOwner() != combiner)
      return std::nullopt;
    // Float sums and products would round differently in another order.
    std::optional<vector::CombiningKind> kind =
        linalg::getCombinerOpKind(combiner);
    if (!kind || combiner->getNumOperands() != 2 ||
        (isa<FloatType>(out.getType()) &&
         (*kind == vector::CombiningKind::ADD ||
          *kind == vector::CombiningKind::MUL)))
      return std::nullopt;
    Value value = combiner->getOperand(combiner->getOperand(0) == out ? 1 : 0);
    results.push_back({combiner, *kind, value});
  }
  // The combined values must not depend on any output (each output feeds
  // only its combiner, checked above, and combiners feed only the yield).
  for (const Reduced &reduced : results)
    if (!reduced.combiner->hasOneUse())
      return std::nullopt;
  return results;
}

namespace {

/// Emits the loops of one matched full reduction.
class FullReductionEmitter {
public:
  FullReductionEmitter(linalg::GenericOp op, ArrayRef<Reduced> reduced,
                       unsigned vectorBits)
      : op(op), reduced(reduced), b(op), loc(op.getLoc()) {
    unsigned widest = 8;
    for (BlockArgument arg : op.getBlock()->getArguments())
      widest = std::max(widest, arg.getType().getIntOrFloatBitWidth());
    lanes = vectorBits / widest;
  }

  void emit();

private:
  VectorType vec(Type type) const { return VectorType::get({lanes}, type); }
  Value index(int64_t value) {
    return arith::ConstantIndexOp::create(b, loc, value);
  }
  bool isCombiner(Operation *inner) const {
    return llvm::any_of(reduced, [&](const Reduced &result) {
      return result.combiner == inner;
    });
  }
  SmallVector<Value> reducedValues() const {
    return llvm::map_to_vector(reduced,
                               [](const Reduced &r) { return r.value; });
  }
  /// Combines `accs` with `values` by the combiners (vectors or scalars).
  SmallVector<Value> combine(ValueRange accs, ArrayRef<Value> values);
  /// The vector loop over the whole vectors of the flattened inputs in
  /// [begin, end), from `vectorInits`; returns the vector accumulators.
  ValueRange emitVectorLoop(ArrayRef<Value> flat, Value begin, Value end,
                            ArrayRef<Value> vectorInits);
  /// The vector accumulators over [0, full): one loop, or with a static
  /// `splitCount` (the value of `full`) kChunks ranges reduced into
  /// partial results (a loop threads may share) that are then combined.
  SmallVector<Value> emitVectors(ArrayRef<Value> flat, Value full,
                                 ArrayRef<Value> vectorInits,
                                 std::optional<int64_t> splitCount);

  linalg::GenericOp op;
  ArrayRef<Reduced> reduced;
  OpBuilder b;
  Location loc;
  int64_t lanes = 0;
};

} // namespace

SmallVector<Value> FullReductionEmitter::combine(ValueRange accs,
                                                 ArrayRef<Value> values) {
  SmallVector<Value> combined;
  for (auto [acc, value, result] : llvm::zip(accs, values, reduced))
    combined.push_back(
        vector::makeArithReduction(b, loc, result.kind, acc, value));
  return combined;
}

ValueRange FullReductionEmitter::emitVectorLoop(ArrayRef<Value> flat,
                                                Value begin, Value end,
                                                ArrayRef<Value> vectorInits) {
  auto vectors =
      scf::ForOp::create(b, loc, begin, end, index(lanes), vectorInits);
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(vectors.getBody());
  Value iv = vectors.getInductionVar();
  SmallVector<Value> args;
  for (Value input : flat) {
    Type element = cast<RankedTensorType>(input.getType()).getElementType();
    Value pad = arith::ConstantOp::create(b, loc, b.getZeroAttr(element));
    args.push_back(vector::TransferReadOp::create(b, loc, vec(element), input,
                                                  ValueRange{iv}, pad,
                                                  ArrayRef<bool>{true}));
  }
  llvm::append_range(args, vectors.getRegionIterArgs());
  auto skip = [&](Operation *inner) { return isCombiner(inner); };
  LaneWiseOptions options;
  options.skip = skip;
  SmallVector<Value> values = cloneLaneWise(b, loc, *op.getBlock(), args, lanes,
                                            reducedValues(), options);
  scf::YieldOp::create(b, loc, combine(vectors.getRegionIterArgs(), values));
  return vectors.getResults();
}

SmallVector<Value>
FullReductionEmitter::emitVectors(ArrayRef<Value> flat, Value full,
                                  ArrayRef<Value> vectorInits,
                                  std::optional<int64_t> splitCount) {
  if (!splitCount)
    return SmallVector<Value>(
        emitVectorLoop(flat, index(0), full, vectorInits));
  // Ranges of `chunk` elements (whole vectors), the last ones shorter.
  int64_t chunk = llvm::divideCeil(*splitCount, kChunks * lanes) * lanes;
  SmallVector<Value> partials;
  for (Value init : vectorInits)
    partials.push_back(tensor::EmptyOp::create(
        b, loc, ArrayRef<int64_t>{kChunks * lanes},
        cast<VectorType>(init.getType()).getElementType()));
  auto ranges =
      scf::ForOp::create(b, loc, index(0), index(kChunks), index(1), partials);
  ranges->setAttr(kParallelLoopAttr, b.getUnitAttr());
  {
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(ranges.getBody());
    Value c = ranges.getInductionVar();
    Value begin = arith::MinUIOp::create(
        b, loc, arith::MulIOp::create(b, loc, c, index(chunk)), full);
    Value end = arith::MinUIOp::create(
        b, loc, arith::AddIOp::create(b, loc, begin, index(chunk)), full);
    Value at = arith::MulIOp::create(b, loc, c, index(lanes));
    SmallVector<Value> written;
    for (auto [acc, partial] :
         llvm::zip(emitVectorLoop(flat, begin, end, vectorInits),
                   ranges.getRegionIterArgs()))
      written.push_back(vector::TransferWriteOp::create(b, loc, acc, partial,
                                                        ValueRange{at},
                                                        ArrayRef<bool>{true})
                            .getResult());
    scf::YieldOp::create(b, loc, written);
  }
  // The partial results combined in order.
  auto combined = scf::ForOp::create(b, loc, index(0), index(kChunks), index(1),
                                     vectorInits);
  {
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(combined.getBody());
    Value at =
        arith::MulIOp::create(b, loc, combined.getInductionVar(), index(lanes));
    SmallVector<Value> values;
    for (auto [partial, init] : llvm::zip(ranges.getResults(), vectorInits)) {
      auto type = cast<VectorType>(init.getType());
      Value pad = arith::ConstantOp::create(
          b, loc, b.getZeroAttr(type.getElementType()));
      values.push_back(vector::TransferReadOp::create(
          b, loc, type, partial, ValueRange{at}, pad, ArrayRef<bool>{true}));
    }
    scf::YieldOp::create(b, loc, combine(combined.getRegionIterArgs(), values));
  }
  return SmallVector<Value>(combined.getResults());
}

void FullReductionEmitter::emit() {
  // The inputs as 1-D tensors in their memory order, and their element
  // count. A single input that is a transpose is read before it (channels
  // last leaves one in front of the range of a dynamically quantized NCHW
  // input): only the set of elements matters.
  SmallVector<Value> flat;
  for (OpOperand *input : op.getDpsInputOperands()) {
    Value value = input->get();
    if (auto transpose = value.getDefiningOp<linalg::TransposeOp>();
        transpose && op.getNumDpsInputs() == 1)
      value = transpose.getInput();
    flat.push_back(collapseTo1D(b, loc, value));
  }
  Value count = tensor::DimOp::create(b, loc, flat[0], 0);
  Value full = arith::SubIOp::create(
      b, loc, count, arith::RemUIOp::create(b, loc, count, index(lanes)));

  SmallVector<Value> inits, vectorInits;
  for (auto [init, result] : llvm::zip(op.getDpsInits(), reduced)) {
    Value scalar = tensor::ExtractOp::create(b, loc, init, ValueRange{});
    inits.push_back(scalar);
    Type type = scalar.getType();
    vectorInits.push_back(
        isIdempotent(result.kind)
            ? vector::BroadcastOp::create(b, loc, vec(type), scalar).getResult()
            : arith::ConstantOp::create(
                  b, loc,
                  DenseElementsAttr::get(
                      vec(type), *arith::getNeutralElement(result.combiner)))
                  .getResult());
  }

  // Whole vectors, then a horizontal reduction per result.
  SmallVector<Value> scalars;
  int64_t staticCount = cast<RankedTensorType>(flat[0].getType()).getDimSize(0);
  std::optional<int64_t> splitCount;
  if (!ShapedType::isDynamic(staticCount) && staticCount >= kMinSplitElements)
    splitCount = staticCount - staticCount % lanes;
  for (auto [acc, init, result] : llvm::zip(
           emitVectors(flat, full, vectorInits, splitCount), inits, reduced))
    scalars.push_back(
        vector::ReductionOp::create(b, loc, result.kind, acc, init));

  // The remaining elements one at a time.
  auto rest = scf::ForOp::create(b, loc, full, count, index(1), scalars);
  {
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(rest.getBody());
    SmallVector<Value> args;
    for (Value input : flat)
      args.push_back(tensor::ExtractOp::create(
          b, loc, input, ValueRange{rest.getInductionVar()}));
    llvm::append_range(args, rest.getRegionIterArgs());
    SmallVector<Value> values =
        cloneScalar(b, *op.getBlock(), args, reducedValues(),
                    [&](Operation *inner) { return isCombiner(inner); });
    scf::YieldOp::create(b, loc, combine(rest.getRegionIterArgs(), values));
  }
  for (auto [result, init, value] :
       llvm::zip(op->getResults(), op.getDpsInits(), rest.getResults()))
    result.replaceAllUsesWith(
        tensor::InsertOp::create(b, loc, value, init, ValueRange{})
            .getResult());
  // A transpose read past above is dead now too.
  eraseWithDeadProducers({op.getOperation()});
}

bool vectorizeFullReduction(linalg::GenericOp op, unsigned vectorBits) {
  std::optional<SmallVector<Reduced>> reduced = match(op);
  if (!reduced)
    return false;
  FullReductionEmitter(op, *reduced, vectorBits).emit();
  return true;
}

} // namespace mlir::compress::kernels
