//===- ChannelsLast.cpp - NCHW models to channels-last storage ------------===//
//
// Implements --compress-channels-last. In a function with a channels-first
// convolution or pooling, every rank-4 tensor read or written by a linalg op
// (or padded by tensor.pad) is stored channels last (NCHW -> NHWC); only the
// storage changes, each op reads the same elements through a permuted
// indexing map. Constant weights are permuted at compile time so that the
// output channel is innermost (FCHW -> HWCF). Transposes are inserted at the
// boundaries (function arguments, results, ops that are not linalg) and the
// pairs that meet between two converted ops cancel.
//
// Why: the kernel emitter vectorizes the innermost output dim. Channels
// first, that is the image width (56 or 7 in ResNet: masked lanes, strided
// reads for stride 2, no VNNI because the reduced channel is not
// contiguous); channels last, it is the channel count (a multiple of 32),
// the activation is broadcast and its channels are contiguous, which is
// exactly the matmul kernel (and the VNNI one for int8).
//
//===----------------------------------------------------------------------===//

#include "compress/Codegen/Passes.h"
#include "compress/Utils/IRUtils.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/IR/LinalgInterfaces.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/IndexingUtils.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"

#include <cstring>

namespace mlir::compress {
#define GEN_PASS_DEF_COMPRESSCHANNELSLASTPASS
#include "compress/Codegen/Passes.h.inc"

namespace {

/// NCHW -> NHWC: new dim i is old dim kToLast[i].
constexpr int64_t kToLast[] = {0, 2, 3, 1};
/// NHWC -> NCHW.
constexpr int64_t kToFirst[] = {0, 3, 1, 2};

static bool isRank4Tensor(Value value) {
  auto type = dyn_cast<RankedTensorType>(value.getType());
  return type && type.getRank() == 4;
}

/// A convolution or pooling that is channels first: rank-4 output whose
/// innermost index is a spatial (convolved) loop.
static bool isChannelsFirstConv(linalg::LinalgOp op) {
  if (!op.hasPureTensorSemantics() || op.getNumDpsInits() != 1 ||
      !isRank4Tensor(op.getDpsInitOperand(0)->get()) ||
      op.getNumReductionLoops() == 0)
    return false;
  FailureOr<linalg::ConvolutionDimensions> dims =
      linalg::inferConvolutionDims(op);
  if (failed(dims))
    return false;
  AffineMap out = op.getMatchingIndexingMap(op.getDpsInitOperand(0));
  auto inner = dyn_cast<AffineDimExpr>(out.getResult(3));
  return inner && llvm::is_contained(dims->outputImage, inner.getPosition());
}

/// The elements of a static constant tensor permuted by `perm` (new dim i
/// is old dim perm[i]), or nothing if its data cannot be read.
static std::optional<DenseElementsAttr>
permuteConstant(Value value, ArrayRef<int64_t> perm) {
  auto type = cast<RankedTensorType>(value.getType());
  ArrayRef<int64_t> shape = type.getShape();
  SmallVector<int64_t> newShape = applyPermutation(shape, perm);
  auto newType = RankedTensorType::get(newShape, type.getElementType());
  // Sub-byte codes (int4 weights) are permuted as one byte each.
  DenseIntElementsAttr codes;
  if (type.getElementType().isInteger() && type.getElementTypeBitWidth() < 8 &&
      matchPattern(value, m_Constant(&codes))) {
    std::vector<char> bytes;
    for (const APInt &code : codes.getValues<APInt>())
      bytes.push_back(static_cast<char>(code.getZExtValue()));
    SmallVector<APInt> permuted;
    for (char byte : permuteElements(bytes, 1, shape, perm))
      permuted.push_back(
          APInt(type.getElementTypeBitWidth(), static_cast<uint8_t>(byte)));
    return DenseElementsAttr::get(newType, permuted);
  }
  std::optional<std::vector<char>> bytes = readConstantBytes(value);
  if (!bytes)
    return std::nullopt;
  return DenseElementsAttr::getFromRawBuffer(
      newType,
      permuteElements(*bytes, type.getElementTypeBitWidth() / 8, shape, perm));
}

class ChannelsLastRewriter {
public:
  explicit ChannelsLastRewriter(MLIRContext *context) : rewriter(context) {}

  /// Rewrites `op` to read and write its rank-4 operands channels last.
  void convert(linalg::LinalgOp op);
  /// Rewrites a rank-4 tensor.pad with a constant padding value.
  void convert(tensor::PadOp pad);
  /// Erases the transposes that are no longer used.
  void cleanup();

private:
  /// `value` (logical NCHW) stored with dims permuted by `perm`.
  Value permuted(Value value, ArrayRef<int64_t> perm, Location loc);
  /// The logical value of a channels-last `value`, for the users that are
  /// not converted.
  Value restore(Value value, Location loc);
  /// An empty tensor shaped like `value` with its dims permuted by `perm`.
  Value permutedEmpty(Value value, ArrayRef<int64_t> perm, Location loc);

  IRRewriter rewriter;
  /// Channels-last value -> its restored (transposed back) value, and back.
  DenseMap<Value, Value> restoredFrom;
  SmallVector<Operation *> created;
};

Value ChannelsLastRewriter::permuted(Value value, ArrayRef<int64_t> perm,
                                     Location loc) {
  // Our own restore: cancel.
  auto it = restoredFrom.find(value);
  if (it != restoredFrom.end() && llvm::equal(perm, kToLast))
    return it->second;
  if (value.getDefiningOp<arith::ConstantOp>()) {
    if (std::optional<DenseElementsAttr> attr = permuteConstant(value, perm))
      return arith::ConstantOp::create(rewriter, loc, *attr);
  }
  Value empty = permutedEmpty(value, perm, loc);
  if (value.getDefiningOp<tensor::EmptyOp>())
    return empty;
  if (auto fill = value.getDefiningOp<linalg::FillOp>();
      fill && fill.getOutputs()[0].getDefiningOp<tensor::EmptyOp>())
    return linalg::FillOp::create(rewriter, loc, fill.getInputs()[0], empty)
        .getResult(0);
  return linalg::TransposeOp::create(rewriter, loc, value, empty, perm)
      .getResult()[0];
}

Value ChannelsLastRewriter::permutedEmpty(Value value, ArrayRef<int64_t> perm,
                                          Location loc) {
  SmallVector<OpFoldResult> sizes =
      applyPermutation(tensor::getMixedSizes(rewriter, loc, value), perm);
  return tensor::EmptyOp::create(rewriter, loc, sizes,
                                 getElementTypeOrSelf(value.getType()));
}

Value ChannelsLastRewriter::restore(Value value, Location loc) {
  Value empty = permutedEmpty(value, kToFirst, loc);
  auto transpose =
      linalg::TransposeOp::create(rewriter, loc, value, empty, kToFirst);
  created.push_back(transpose);
  Value result = transpose.getResult()[0];
  restoredFrom[result] = value;
  return result;
}

void ChannelsLastRewriter::convert(linalg::LinalgOp op) {
  if (!op.hasPureTensorSemantics() || isa<linalg::TransposeOp>(op) ||
      isa<linalg::FillOp>(op) ||
      llvm::none_of(op->getOperands(), isRank4Tensor))
    return;
  rewriter.setInsertionPoint(op);
  Location loc = op.getLoc();
  auto generic = dyn_cast<linalg::GenericOp>(op.getOperation());
  if (!generic) {
    FailureOr<linalg::GenericOp> generalized =
        linalg::generalizeNamedOp(rewriter, op);
    if (failed(generalized))
      return;               // stays channels first, behind transposes
    generic = *generalized; // `op` is erased
  }
  SmallVector<AffineMap> maps = generic.getIndexingMapsArray();
  unsigned numInputs = generic.getNumDpsInputs();

  // The output (and therefore the vector dim of the kernel) first.
  auto permuteMap = [](AffineMap map, ArrayRef<int64_t> perm) {
    return AffineMap::get(map.getNumDims(), 0,
                          applyPermutation(map.getResults(), perm),
                          map.getContext());
  };
  SmallVector<Value> operands(generic->getOperands());
  SmallVector<bool> changed(operands.size(), false);
  std::optional<unsigned> vectorDim;
  for (unsigned i = numInputs; i < operands.size(); ++i) {
    if (!isRank4Tensor(operands[i]))
      continue;
    maps[i] = permuteMap(maps[i], kToLast);
    if (auto dim = dyn_cast<AffineDimExpr>(maps[i].getResult(3)))
      vectorDim = dim.getPosition();
    changed[i] = true;
  }
  for (unsigned i = 0; i < numInputs; ++i) {
    auto type = dyn_cast<RankedTensorType>(operands[i].getType());
    if (!type || type.getRank() < 2)
      continue;
    SmallVector<int64_t> perm;
    if (vectorDim && operands[i].getDefiningOp<arith::ConstantOp>()) {
      // A constant weight: the kernel's vector dim innermost.
      std::optional<unsigned> at = maps[i].getResultPosition(
          getAffineDimExpr(*vectorDim, generic.getContext()));
      if (at && type.getRank() == 4 && *at == 0) {
        // FCHW -> HWCF: the rest channels last too.
        perm = {2, 3, 1, 0};
      } else if (at) {
        for (unsigned d = 0; d < type.getRank(); ++d)
          if (d != *at)
            perm.push_back(d);
        perm.push_back(*at);
      }
    }
    if (perm.empty() && type.getRank() == 4)
      perm.assign(std::begin(kToLast), std::end(kToLast));
    if (perm.empty() || llvm::equal(perm, llvm::seq<int64_t>(0, perm.size())))
      continue;
    maps[i] = permuteMap(maps[i], perm);
    operands[i] = permuted(operands[i], perm, loc);
  }
  for (unsigned i = numInputs; i < operands.size(); ++i)
    if (changed[i])
      operands[i] = permuted(operands[i], kToLast, loc);

  // Elementwise ops: loops renumbered so that the output map is the
  // identity again (the form fusion and the emitter expect).
  SmallVector<utils::IteratorType> iterators = generic.getIteratorTypesArray();
  AffineMap out = maps[numInputs];
  if (generic.getNumReductionLoops() == 0 && generic.getNumDpsInits() == 1 &&
      out.isPermutation() && !generic.hasIndexSemantics()) {
    AffineMap inverse = inversePermutation(out);
    for (AffineMap &map : maps)
      map = map.compose(inverse);
  }

  SmallVector<Type> resultTypes;
  for (unsigned i = numInputs; i < operands.size(); ++i)
    resultTypes.push_back(operands[i].getType());
  auto converted = linalg::GenericOp::create(
      rewriter, loc, resultTypes,
      ArrayRef<Value>(operands).take_front(numInputs),
      ArrayRef<Value>(operands).drop_front(numInputs), maps, iterators);
  converted->setDiscardableAttrs(generic->getDiscardableAttrDictionary());
  rewriter.inlineRegionBefore(generic.getRegion(), converted.getRegion(),
                              converted.getRegion().begin());
  SmallVector<Value> results;
  for (auto [i, result] : llvm::enumerate(converted->getResults()))
    results.push_back(changed[numInputs + i] ? restore(result, loc) : result);
  rewriter.replaceOp(generic, results);
}

void ChannelsLastRewriter::convert(tensor::PadOp pad) {
  Value padding = pad.getConstantPaddingValue();
  if (!padding || !isRank4Tensor(pad.getSource()) || !pad.getLow().empty() ||
      !pad.getHigh().empty())
    return;
  rewriter.setInsertionPoint(pad);
  Location loc = pad.getLoc();
  Value source = permuted(pad.getSource(), kToLast, loc);
  SmallVector<int64_t> low = applyPermutation(pad.getStaticLow(), kToLast);
  SmallVector<int64_t> high = applyPermutation(pad.getStaticHigh(), kToLast);
  auto type = cast<RankedTensorType>(pad.getType());
  SmallVector<int64_t> shape = applyPermutation(type.getShape(), kToLast);
  auto padded = tensor::PadOp::create(
      rewriter, loc, RankedTensorType::get(shape, type.getElementType()),
      source, low, high, ValueRange{}, ValueRange{});
  Block *body = rewriter.createBlock(&padded.getRegion());
  for (int i = 0; i < 4; ++i)
    body->addArgument(rewriter.getIndexType(), loc);
  rewriter.setInsertionPointToEnd(body);
  tensor::YieldOp::create(rewriter, loc, padding);
  rewriter.setInsertionPoint(pad);
  rewriter.replaceOp(pad, restore(padded.getResult(), loc));
}

void ChannelsLastRewriter::cleanup() {
  for (Operation *op : llvm::reverse(created))
    if (op->use_empty())
      rewriter.eraseOp(op);
}

struct CompressChannelsLastPass
    : impl::CompressChannelsLastPassBase<CompressChannelsLastPass> {
  void runOnOperation() override {
    func::FuncOp func = getOperation();
    bool channelsFirst = false;
    func.walk(
        [&](linalg::LinalgOp op) { channelsFirst |= isChannelsFirstConv(op); });
    if (!channelsFirst)
      return;
    SmallVector<Operation *> ops;
    func.walk([&](Operation *op) {
      if (isa<linalg::LinalgOp, tensor::PadOp>(op))
        ops.push_back(op);
    });
    ChannelsLastRewriter rewriter(&getContext());
    for (Operation *op : ops) {
      if (auto pad = dyn_cast<tensor::PadOp>(op))
        rewriter.convert(pad);
      else
        rewriter.convert(cast<linalg::LinalgOp>(op));
    }
    rewriter.cleanup();
  }
};

} // namespace
} // namespace mlir::compress
