//===- TileAndVectorize.cpp - Register-tiled vector kernels ---------------===//
//
// Implements --compress-tile-and-vectorize. Every contraction, convolution
// and pooling op (a linalg op on tensors with reduction loops and a
// vectorizable scalar body), and every compress.fusion_group made of such an
// op and its elementwise epilogue, becomes one loop nest:
//
//   for the other parallel dims:
//     for v0 in vector tiles of the innermost output dim (2 x 16 lanes):
//       for u0 in row blocks of a second parallel dim (up to 8 rows):
//         acc[r][c] = init                           // registers
//         for the reduction dims (activation layout order):
//           load the inputs (broadcast scalars, contiguous or strided
//           vectors, gathers)
//           acc[r][c] = body(inputs, acc[r][c])      // FMAs, ...
//         out[r][c] = epilogue(acc[r][c], ...)       // bias, relu, ...
//         write out
//
// Remainders are handled by a one-row loop (u) and a masked tile (v), so any
// shape, static or dynamic, runs vectorized. Accumulators live in registers
// across the whole reduction; with an epilogue the op's own result is never
// written to memory. For cache reuse the vector-tile loop moves outside the
// other parallel dims when the weight does not fit in L2, and large GEMMs run
// the tiles per panel of rows whose activation fits in L2.
//
// bf16 contractions (bf16 x bf16 -> f32) with a constant weight use
// `vdpbf16ps` (x86vector.avx512.dot) the same way when the target has
// AVX512_BF16 (weight pairs packed, activation pairs broadcast).
//
// int8 contractions (i8 x i8 -> i32) whose vector operand is a constant use
// AVX-512 VNNI when the target has it: the weight is repacked at compile time
// into 4-byte k-quads, one panel of 32 columns after the other; the
// activation is made unsigned once (xor 0x80, in the elementwise op that
// computes it or a pass of its own), so the inner loop is only broadcast
// loads, weight loads and
// `vpdpbusd`; 128 * column sums of the weight, subtracted from the initial
// accumulator, make the result exact.
//
//===----------------------------------------------------------------------===//

#include "FullReduction.h"
#include "compress/Codegen/Passes.h"
#include "compress/Codegen/Target.h"
#include "compress/Dialect/Compress/IR/CompressCodegenOps.h"
#include "compress/Dialect/Compress/IR/CompressOps.h"
#include "compress/Utils/IRUtils.h"
#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/IndexingUtils.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Dialect/X86Vector/X86VectorDialect.h"
#include "mlir/IR/IRMapping.h"

#include <limits>

namespace mlir::compress {
#define GEN_PASS_DEF_COMPRESSTILEANDVECTORIZEPASS
#include "compress/Codegen/Passes.h.inc"

namespace {

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
  /// Repacked constant: shape [vector tiles, <the other dims>, tile], read
  /// at [v0 / tile, <map results but the last>, chunk * lanes].
  bool packed = false;
};

/// The elementwise consumer fused into the kernel (a fusion group's
/// epilogue).
struct Epilogue {
  linalg::LinalgOp op;
  /// Index of the epilogue input that is the root's result.
  unsigned rootInput = 0;
  /// The epilogue's inputs (the root input's entry is unused).
  SmallVector<KernelInput> inputs;
};

/// The packed dot-product variant of a kernel: int8 (AVX-512 VNNI
/// `vpdpbusd`, 4-byte groups) or bf16 (AVX512_BF16 `vdpbf16ps`, pairs).
struct DotPlan {
  bool bf16 = false;
  /// bf16 without AVX512_BF16 (emulate-bf16-dot): each vdpbf16ps is
  /// expanded into vector ops with its semantics.
  bool emulate = false;
  /// Elements of a reduction group: 4 i8 or 2 bf16.
  unsigned group() const { return bf16 ? 2 : 4; }
  unsigned activation = 0; // index of the broadcast input
  /// What the kernel broadcasts: int8, the activation xor 0x80 (computed
  /// before, so the unsigned operand needs no work in the loop); bf16, the
  /// activation itself.
  Value broadcast;
  unsigned groupDim = 0; // reduction dim read in groups
  SmallVector<unsigned> otherReductions;
  int64_t groups = 0;     // ceil(extent(groupDim) / group)
  int64_t otherCount = 1; // product of the other reduction extents
  /// 1-D constant: [vector tiles][other][groups][tile][group].
  Value packed;
  Value columnSums; // int8: 1-D i32 constant, 128 * sum of each column
};

/// Everything needed to emit one kernel.
struct KernelPlan {
  linalg::LinalgOp root;
  std::optional<Epilogue> epilogue;
  SmallVector<KernelInput> inputs;
  unsigned vectorDim = 0;
  std::optional<unsigned> rowDim;
  SmallVector<unsigned> outerDims;
  SmallVector<unsigned> reductionDims;
  AffineMap outputMap;
  Type accType;
  unsigned lanes = 16; // elements per vector register
  unsigned chunks = 2; // vector registers per row
  unsigned rows = 8;   // rows per register block
  /// The scalar the root's output is filled with, if any (else the
  /// accumulators start from the root's init tensor).
  Value fillValue;
  Value rootInit;
  /// The tensor the kernel writes (the epilogue's init, or the root's).
  Value dest;
  std::optional<DotPlan> dot;
  /// The vector-tile loop outside the outer parallel dims: each weight panel
  /// is then read once (and reused from cache by every row block) instead of
  /// once per outer iteration. Chosen when the weight traffic would be the
  /// larger one (ResNet's last stages: 9.4 MB of weights, 7 output rows).
  bool tilesOutermost = false;
  /// If nonzero, the row dim is split into panels of this many rows, each
  /// running all vector tiles: the activation rows of a panel stay in L2
  /// while every weight panel passes over them (cache blocking of a large
  /// GEMM; otherwise each tile streams the whole activation from memory).
  /// Elementwise kernels use one row block per panel (rows outermost).
  int64_t rowPanel = 0;
  /// Static loop extents of the root (dynamic ones as ShapedType::kDynamic).
  SmallVector<int64_t> ranges;

  /// Elements of the innermost output dim per register tile.
  int64_t tile() const { return lanes * chunks; }

  /// The op whose result the kernel replaces.
  Operation *replaced() {
    return epilogue ? epilogue->op.getOperation() : root.getOperation();
  }
};

//===----------------------------------------------------------------------===//
// Analysis
//===----------------------------------------------------------------------===//

static bool isScalarIntOrFloat(Type type) {
  return isa<IntegerType, FloatType>(type);
}

/// True if the body only has ops that can be applied lane by lane to vectors:
/// scalar constants and elementwise-mappable ops without regions.
static bool hasVectorizableBody(linalg::LinalgOp op) {
  Block *body = op.getBlock();
  for (BlockArgument arg : body->getArguments())
    if (!isScalarIntOrFloat(arg.getType()))
      return false;
  for (Operation &inner : body->without_terminator()) {
    if (auto constant = dyn_cast<arith::ConstantOp>(inner)) {
      if (!isScalarIntOrFloat(constant.getType()))
        return false;
      continue;
    }
    if (!inner.hasTrait<OpTrait::Elementwise>() || inner.getNumRegions() != 0)
      return false;
    for (Type type : inner.getResultTypes())
      if (!isScalarIntOrFloat(type))
        return false;
    for (Value operand : inner.getOperands())
      if (!isScalarIntOrFloat(operand.getType()))
        return false;
  }
  return true;
}

/// The distance in elements between consecutive lanes of a read of the
/// row-major tensor `value` (static but for its outermost dim) through the
/// affine `map` along `vectorDim`, if it is a constant.
static std::optional<int64_t> gatherStride(Value value, AffineMap map,
                                           unsigned vectorDim) {
  // All dims but the outermost (a dynamic batch) must be static.
  auto type = dyn_cast<RankedTensorType>(value.getType());
  if (!type || type.getRank() == 0 ||
      llvm::any_of(type.getShape().drop_front(), ShapedType::isDynamic))
    return std::nullopt;
  MLIRContext *context = map.getContext();
  SmallVector<AffineExpr> zeros(map.getNumDims(),
                                getAffineConstantExpr(0, context));
  SmallVector<AffineExpr> unit(zeros);
  unit[vectorDim] = getAffineConstantExpr(1, context);
  int64_t stride = 0, rowStride = 1;
  for (int64_t i = type.getRank() - 1; i >= 0; --i) {
    AffineExpr expr = map.getResult(i);
    if (!expr.isPureAffine())
      return std::nullopt;
    auto at1 = dyn_cast<AffineConstantExpr>(
        simplifyAffineExpr(expr.replaceDims(unit), map.getNumDims(), 0));
    auto at0 = dyn_cast<AffineConstantExpr>(
        simplifyAffineExpr(expr.replaceDims(zeros), map.getNumDims(), 0));
    if (!at1 || !at0)
      return std::nullopt;
    stride += (at1.getValue() - at0.getValue()) * rowStride;
    if (i > 0)
      rowStride *= type.getDimSize(i);
  }
  // Lane offsets (16 x stride) are i32.
  if (stride <= 0 || stride >= (1ll << 26))
    return std::nullopt;
  return stride;
}

/// Classifies how `map` (over the root's loops) reads along `vectorDim`.
static std::optional<KernelInput> classifyInput(Value value, AffineMap map,
                                                unsigned vectorDim) {
  KernelInput input;
  input.value = value;
  input.map = map;
  if (!map)
    return input;
  if (!map.isFunctionOfDim(vectorDim))
    return input;
  auto gather = [&]() -> std::optional<KernelInput> {
    std::optional<int64_t> stride = gatherStride(value, map, vectorDim);
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

/// Returns the linalg.fill that produced `value`, if it fills with a scalar.
static linalg::FillOp getScalarFill(Value value) {
  auto fill = value.getDefiningOp<linalg::FillOp>();
  if (!fill || !isScalarIntOrFloat(fill.getInputs()[0].getType()))
    return nullptr;
  return fill;
}

/// Matches the packed dot-product contractions, in any operand order:
/// `addi(out, muli(extsi(a), extsi(b)))` with i8 inputs and an i32 output,
/// or `addf(out, mulf(extf(a), extf(b)))` with bf16 inputs and an f32
/// output. Returns the input indices (a, b) and whether it is bf16.
static std::optional<std::tuple<unsigned, unsigned, bool>>
matchPackedDot(linalg::LinalgOp op) {
  Block *body = op.getBlock();
  if (op.getNumDpsInputs() != 2 || body->getNumArguments() != 3 ||
      std::distance(body->begin(), body->end()) != 5)
    return std::nullopt;
  Type a = body->getArgument(0).getType(), b = body->getArgument(1).getType();
  Type out = body->getArgument(2).getType();
  bool int8 = a.isInteger(8) && b.isInteger(8) && out.isInteger(32);
  bool bf16 = a.isBF16() && b.isBF16() && out.isF32();
  if (!int8 && !bf16)
    return std::nullopt;
  Operation *add = cast<linalg::YieldOp>(body->getTerminator())
                       .getValues()[0]
                       .getDefiningOp();
  if (!add || !(int8 ? isa<arith::AddIOp>(add) : isa<arith::AddFOp>(add)))
    return std::nullopt;
  Value acc = body->getArgument(2);
  Value lhs = add->getOperand(0), rhs = add->getOperand(1);
  if ((lhs == acc) == (rhs == acc))
    return std::nullopt;
  Operation *mul = (lhs == acc ? rhs : lhs).getDefiningOp();
  if (!mul || !(int8 ? isa<arith::MulIOp>(mul) : isa<arith::MulFOp>(mul)))
    return std::nullopt;
  auto source = [&](Value v) -> std::optional<unsigned> {
    Operation *ext = v.getDefiningOp();
    if (!ext || !(int8 ? isa<arith::ExtSIOp>(ext) : isa<arith::ExtFOp>(ext)))
      return std::nullopt;
    auto arg = dyn_cast<BlockArgument>(ext->getOperand(0));
    if (!arg)
      return std::nullopt;
    return arg.getArgNumber();
  };
  std::optional<unsigned> x = source(mul->getOperand(0));
  std::optional<unsigned> y = source(mul->getOperand(1));
  if (!x || !y || *x == *y || *x > 1 || *y > 1)
    return std::nullopt;
  return std::make_tuple(*x, *y, bf16);
}

/// Plans the packed dot-product kernel if the op is an i8 x i8 -> i32 (with
/// AVX-512 VNNI) or bf16 x bf16 -> f32 (with AVX512_BF16) contraction whose
/// broadcast input reads groups of a reduction dim contiguously and whose
/// vector input is a constant over the reduction dims and the vector dim.
/// Builds the packed weight (and, for int8, the column sums and the
/// unsigned activation).
static std::optional<DotPlan> planPackedDot(OpBuilder &builder,
                                            const KernelPlan &plan,
                                            const TargetCPU &target,
                                            bool emulateBF16) {
  linalg::LinalgOp op = plan.root;
  auto match = matchPackedDot(op);
  if (!match || plan.tile() % 16 != 0)
    return std::nullopt;
  DotPlan dot;
  dot.bf16 = std::get<2>(*match);
  dot.emulate = dot.bf16 && emulateBF16;
  if (dot.bf16 ? !(target.avx512BF16 || (dot.emulate && target.avx512))
               : !target.avx512VNNI)
    return std::nullopt;
  unsigned weight = 1; // index of the constant input
  for (unsigned candidate : {std::get<0>(*match), std::get<1>(*match)}) {
    const KernelInput &in = plan.inputs[candidate];
    if (in.access == Access::Broadcast)
      dot.activation = candidate;
    else if (in.access == Access::Contiguous)
      weight = candidate;
  }
  if (dot.activation == weight)
    return std::nullopt;
  const KernelInput &act = plan.inputs[dot.activation];
  const KernelInput &wgt = plan.inputs[weight];
  if (!act.map || !wgt.map || !wgt.map.isProjectedPermutation() ||
      !wgt.value.getDefiningOp<arith::ConstantOp>())
    return std::nullopt;
  // The activation's innermost index must be exactly one reduction dim.
  auto groupExpr =
      dyn_cast<AffineDimExpr>(act.map.getResult(act.map.getNumResults() - 1));
  if (!groupExpr ||
      !llvm::is_contained(plan.reductionDims, groupExpr.getPosition()))
    return std::nullopt;
  dot.groupDim = groupExpr.getPosition();
  // The weight is indexed by all reduction dims and the vector dim only.
  ArrayRef<int64_t> ranges = plan.ranges;
  if (ShapedType::isDynamic(ranges[plan.vectorDim]))
    return std::nullopt;
  llvm::SmallDenseSet<unsigned> weightDims;
  for (AffineExpr expr : wgt.map.getResults())
    weightDims.insert(cast<AffineDimExpr>(expr).getPosition());
  if (weightDims.size() != plan.reductionDims.size() + 1 ||
      !weightDims.contains(plan.vectorDim))
    return std::nullopt;
  for (unsigned dim : plan.reductionDims) {
    if (!weightDims.contains(dim) || ShapedType::isDynamic(ranges[dim]))
      return std::nullopt;
    if (dim != dot.groupDim) {
      dot.otherReductions.push_back(dim);
      dot.otherCount *= ranges[dim];
    }
  }
  // Copy the weight only once the kernel is known to fit.
  std::optional<std::vector<char>> weights = readConstantBytes(wgt.value);
  if (!weights)
    return std::nullopt;
  int64_t groupExtent = ranges[dot.groupDim];
  int64_t vectorExtent = ranges[plan.vectorDim];
  int64_t tile = plan.tile();
  int64_t group = dot.group();
  dot.groups = llvm::divideCeil(groupExtent, group);
  int64_t paddedVector = llvm::divideCeil(vectorExtent, tile) * tile;

  // packed[(((v / tile * otherCount + other) * groups + g) * tile + v % tile)
  //        * group + t] = w[k = group * g + t, v, other] (0 beyond the
  // extents): the inner loop over g reads one contiguous panel;
  // sums[v] = 128 * sum of w over all reduction indices (int8).
  auto wgtType = cast<RankedTensorType>(wgt.value.getType());
  size_t elementBytes = wgtType.getElementTypeBitWidth() / 8;
  SmallVector<int64_t> strides = computeStrides(wgtType.getShape());
  SmallVector<int64_t> dimStride(op.getNumLoops(), 0);
  for (auto [pos, expr] : llvm::enumerate(wgt.map.getResults()))
    dimStride[cast<AffineDimExpr>(expr).getPosition()] = strides[pos];
  int64_t packedElements = dot.otherCount * dot.groups * paddedVector * group;
  std::vector<char> packed(packedElements * elementBytes, 0);
  SmallVector<int32_t> sums(paddedVector, 0);
  for (int64_t other = 0; other < dot.otherCount; ++other) {
    int64_t otherOffset = 0, rest = other;
    for (unsigned dim : llvm::reverse(dot.otherReductions)) {
      otherOffset += (rest % ranges[dim]) * dimStride[dim];
      rest /= ranges[dim];
    }
    for (int64_t k = 0; k < groupExtent; ++k) {
      for (int64_t v = 0; v < vectorExtent; ++v) {
        int64_t source = otherOffset + k * dimStride[dot.groupDim] +
                         v * dimStride[plan.vectorDim];
        int64_t panel = (v / tile * dot.otherCount + other) * dot.groups;
        int64_t target =
            ((panel + k / group) * tile + v % tile) * group + k % group;
        std::memcpy(&packed[target * elementBytes],
                    &(*weights)[source * elementBytes], elementBytes);
        if (!dot.bf16)
          sums[v] += 128 * static_cast<int32_t>(
                               static_cast<int8_t>((*weights)[source]));
      }
    }
  }
  MLIRContext *context = builder.getContext();
  Location loc = op.getLoc();
  auto packedType =
      RankedTensorType::get({packedElements}, wgtType.getElementType());
  dot.packed = arith::ConstantOp::create(
      builder, loc, DenseElementsAttr::getFromRawBuffer(packedType, packed));
  dot.broadcast = act.value;
  if (dot.bf16)
    return dot;
  auto flipSign = [&](OpBuilder &b, Value v) {
    Value flip = arith::ConstantIntOp::create(b, loc, b.getI8Type(),
                                              static_cast<int8_t>(-128));
    return arith::XOrIOp::create(b, loc, v, flip);
  };
  auto sumsType =
      RankedTensorType::get({paddedVector}, IntegerType::get(context, 32));
  dot.columnSums = arith::ConstantOp::create(
      builder, loc, DenseElementsAttr::get(sumsType, ArrayRef<int32_t>(sums)));

  // int8: the activation xor 0x80. If an elementwise op computes the
  // activation for this kernel alone (its quantization), the xor joins that
  // op's body; otherwise it is an elementwise op of its own. Either is
  // vectorized like any other.
  Value activation = act.value;
  if (auto producer = activation.getDefiningOp<linalg::GenericOp>();
      producer && producer->hasOneUse() && producer->getNumResults() == 1 &&
      producer.getNumReductionLoops() == 0 &&
      producer.hasPureTensorSemantics()) {
    OpBuilder::InsertionGuard guard(builder);
    builder.setInsertionPoint(producer);
    auto flipped = cast<linalg::GenericOp>(builder.clone(*producer));
    auto yield = cast<linalg::YieldOp>(flipped.getBlock()->getTerminator());
    builder.setInsertionPoint(yield);
    yield->setOperand(0, flipSign(builder, yield.getValues()[0]));
    dot.broadcast = flipped.getResult(0);
    return dot;
  }
  auto actType = cast<RankedTensorType>(activation.getType());
  Value empty = tensor::EmptyOp::create(
      builder, loc, tensor::getMixedSizes(builder, loc, activation),
      actType.getElementType());
  AffineMap id = builder.getMultiDimIdentityMap(actType.getRank());
  SmallVector<utils::IteratorType> iterators(actType.getRank(),
                                             utils::IteratorType::parallel);
  dot.broadcast =
      linalg::GenericOp::create(
          builder, loc, actType, ValueRange{activation}, ValueRange{empty},
          ArrayRef<AffineMap>{id, id}, iterators,
          [&](OpBuilder &b, Location loc, ValueRange args) {
            linalg::YieldOp::create(b, loc, ValueRange{flipSign(b, args[0])});
          })
          .getResult(0);
  return dot;
}

/// The rows of the register block for a row dim of static `extent`: the
/// count up to `maxRows` that needs the fewest blocks plus one-row
/// remainder steps (ties: more rows). Widths 7, 14 and 28 (ResNet's last
/// stages) get 7-row blocks and no remainder instead of 8-row blocks and up
/// to 7 one-row steps, which are bound by the weight loads.
static unsigned chooseRows(int64_t extent, unsigned maxRows) {
  unsigned best = maxRows;
  int64_t bestSteps = std::numeric_limits<int64_t>::max();
  for (unsigned rows = maxRows; rows >= 1; --rows) {
    int64_t steps = extent / rows + extent % rows;
    if (steps < bestSteps) {
      bestSteps = steps;
      best = rows;
    }
  }
  return best;
}

/// Plans the kernel of `root` with an optional elementwise `epilogue` that
/// consumes its result. Returns failure if the ops are not supported.
static FailureOr<KernelPlan> planKernel(linalg::LinalgOp root,
                                        linalg::LinalgOp epilogue,
                                        const TargetCPU &target) {
  if (!root.hasPureTensorSemantics() || root.getNumDpsInits() != 1 ||
      root->getNumResults() != 1 || !hasVectorizableBody(root))
    return failure();
  KernelPlan plan;
  plan.root = root;
  plan.outputMap = root.getMatchingIndexingMap(root.getDpsInitOperand(0));
  // The output is indexed by exactly the parallel dims.
  if (!plan.outputMap.isProjectedPermutation() ||
      plan.outputMap.getNumResults() != root.getNumParallelLoops() ||
      plan.outputMap.getNumResults() == 0)
    return failure();
  plan.accType = getElementTypeOrSelf(root->getResult(0).getType());
  if (!isScalarIntOrFloat(plan.accType) ||
      plan.accType.getIntOrFloatBitWidth() > 32 ||
      plan.accType.getIntOrFloatBitWidth() < 8)
    return failure();
  plan.lanes = target.vectorBits() / 32;
  plan.rows = target.avx512 ? 8 : 4;
  unsigned numResults = plan.outputMap.getNumResults();
  plan.vectorDim = plan.outputMap.getDimPosition(numResults - 1);
  plan.ranges = root.getStaticLoopRanges();
  int64_t vectorExtent = plan.ranges[plan.vectorDim];
  plan.chunks = !ShapedType::isDynamic(vectorExtent) &&
                        vectorExtent <= static_cast<int64_t>(plan.lanes)
                    ? 1
                    : 2;

  // Classify the inputs along the vector dim (row dependence comes later).
  SmallVector<AffineMap> maps;
  for (OpOperand *operand : root.getDpsInputOperands())
    maps.push_back(isa<ShapedType>(operand->get().getType())
                       ? root.getMatchingIndexingMap(operand)
                       : AffineMap());
  for (auto [operand, map] : llvm::zip(root.getDpsInputOperands(), maps)) {
    std::optional<KernelInput> input =
        classifyInput(operand->get(), map, plan.vectorDim);
    if (!input)
      return failure();
    plan.inputs.push_back(*input);
  }

  // The row dim: the parallel dim (not the vector dim) that most inputs
  // reuse across rows: broadcast inputs that depend on it (one scalar per
  // row), vector inputs that do not (one load for all rows), and gathered
  // inputs whose innermost index it moves (the rows' gathers share cache
  // lines). Ties go to the inner dim.
  int bestScore = -1;
  for (unsigned pos = 0; pos + 1 < numResults; ++pos) {
    unsigned dim = plan.outputMap.getDimPosition(pos);
    int score = 0;
    for (const KernelInput &input : plan.inputs) {
      if (!input.map)
        continue;
      if (input.access == Access::Gather) {
        // Rows one element apart: the rows' gathers share cache lines.
        unsigned last = input.map.getNumResults() - 1;
        if (input.map.getResult(last).isFunctionOfDim(dim))
          ++score;
        continue;
      }
      bool depends = input.map.isFunctionOfDim(dim);
      if (input.access == Access::Broadcast ? depends : !depends)
        ++score;
    }
    if (score >= bestScore) {
      bestScore = score;
      plan.rowDim = dim;
    }
  }
  if (!plan.rowDim)
    plan.rows = 1;
  else if (int64_t extent = plan.ranges[*plan.rowDim];
           !ShapedType::isDynamic(extent))
    plan.rows = chooseRows(extent, plan.rows);
  for (unsigned pos = 0; pos < numResults; ++pos) {
    unsigned dim = plan.outputMap.getDimPosition(pos);
    if (dim != plan.vectorDim && dim != plan.rowDim)
      plan.outerDims.push_back(dim);
  }
  root.getReductionDims(plan.reductionDims);
  // Reduction loops in the layout order of the broadcast inputs (the
  // activation): the dim of their innermost index is the innermost loop, so
  // consecutive steps read consecutive elements (channels last: kh, kw, c).
  auto layoutPosition = [&](unsigned dim) {
    int position = -1;
    for (OpOperand *input : root.getDpsInputOperands()) {
      AffineMap map = root.getMatchingIndexingMap(input);
      if (map.isFunctionOfDim(plan.vectorDim))
        continue;
      for (unsigned r = 0; r < map.getNumResults(); ++r)
        if (map.getResult(r).isFunctionOfDim(dim))
          position = std::max(position, static_cast<int>(r));
    }
    return position;
  };
  llvm::stable_sort(plan.reductionDims, [&](unsigned a, unsigned b) {
    return layoutPosition(a) < layoutPosition(b);
  });

  plan.rootInit = root.getDpsInitOperand(0)->get();
  if (linalg::FillOp fill = getScalarFill(plan.rootInit)) {
    plan.fillValue = fill.getInputs()[0];
    plan.dest = fill.getOutputs()[0];
  } else {
    plan.dest = plan.rootInit;
  }
  // The root's own output value must not be read in its body other than as
  // the accumulator (it never is in linalg semantics), so nothing else to
  // check. An epilogue, if any:
  if (epilogue) {
    if (!epilogue.hasPureTensorSemantics() || epilogue.getNumDpsInits() != 1 ||
        epilogue->getNumResults() != 1 ||
        epilogue.getNumReductionLoops() != 0 ||
        epilogue.getNumLoops() != numResults ||
        !hasVectorizableBody(epilogue) || !root->getResult(0).hasOneUse())
      return failure();
    AffineMap epilogueOut =
        epilogue.getMatchingIndexingMap(epilogue.getDpsInitOperand(0));
    if (!epilogueOut.isPermutation())
      return failure();
    Epilogue epi;
    epi.op = epilogue;
    bool found = false;
    for (OpOperand *operand : epilogue.getDpsInputOperands()) {
      if (operand->get() == root->getResult(0)) {
        if (found || epilogue.getMatchingIndexingMap(operand) != epilogueOut)
          return failure();
        found = true;
        epi.rootInput = operand->getOperandNumber();
      }
    }
    if (!found)
      return failure();
    // Epilogue dim j is output position p of its output map, which is root
    // dim outputMap[p].
    MLIRContext *context = root.getContext();
    SmallVector<AffineExpr> toRoot(numResults);
    for (unsigned pos = 0; pos < numResults; ++pos)
      toRoot[epilogueOut.getDimPosition(pos)] =
          getAffineDimExpr(plan.outputMap.getDimPosition(pos), context);
    AffineMap toRootMap =
        AffineMap::get(root.getNumLoops(), 0, toRoot, context);
    for (OpOperand *operand : epilogue.getDpsInputOperands()) {
      AffineMap map;
      if (isa<ShapedType>(operand->get().getType()))
        map = epilogue.getMatchingIndexingMap(operand).compose(toRootMap);
      std::optional<KernelInput> input =
          classifyInput(operand->get(), map, plan.vectorDim);
      if (!input)
        return failure();
      epi.inputs.push_back(*input);
    }
    // The epilogue must not read its own output.
    if (epilogue.payloadUsesValueFromOperand(epilogue.getDpsInitOperand(0)))
      return failure();
    plan.dest = epilogue.getDpsInitOperand(0)->get();
    plan.epilogue = epi;
  }
  // Which inputs need one load per row.
  auto markRows = [&](MutableArrayRef<KernelInput> inputs) {
    for (KernelInput &input : inputs)
      input.dependsOnRows =
          input.map && plan.rowDim && input.map.isFunctionOfDim(*plan.rowDim);
  };
  markRows(plan.inputs);
  if (plan.epilogue)
    markRows(plan.epilogue->inputs);
  return plan;
}

//===----------------------------------------------------------------------===//
// Emission
//===----------------------------------------------------------------------===//

/// Emits kernels; one per plan, at the position of the replaced op.
class KernelEmitter {
public:
  KernelEmitter(OpBuilder &builder, KernelPlan &plan)
      : b(builder), plan(plan), loc(plan.root.getLoc()) {}

  Value emit();

private:
  /// A vector type of `lanes` elements of `type`.
  VectorType vec(Type type) const {
    return VectorType::get({plan.lanes}, type);
  }

  Value index(int64_t value) {
    return arith::ConstantIndexOp::create(b, loc, value);
  }

  /// Loop ivs by root dim; entries for the vector and row dims hold the
  /// tile's start.
  using Dims = SmallVector<Value>;

  /// The indices of `map` at `dims` (with the vector dim advanced by
  /// `vectorOffset` and the row dim by `row`).
  SmallVector<Value> indices(AffineMap map, const Dims &dims, unsigned row,
                             int64_t vectorOffset);

  /// Loads input `input` for (row, chunk) as a vector.
  Value load(const KernelInput &input, const Dims &dims, unsigned row,
             unsigned chunk, bool masked);

  /// Applies `body` lane-wise: block args are mapped to `args`.
  Value applyBody(Block *body, ArrayRef<Value> args);

  /// Emits the u loops (main blocks and the one-row remainder) for one
  /// vector tile, over rows [begin, end) (all rows by default); returns the
  /// updated destination tensor.
  Value emitRowLoops(Dims dims, Value dest, bool masked, Value begin = {},
                     Value end = {});

  /// Emits one register tile of `rows` rows.
  Value emitTile(Dims dims, unsigned rows, Value dest, bool masked);

  /// Loads of `input` per row: one per vector chunk, one for a broadcast.
  unsigned loadChunks(const KernelInput &input) const {
    return input.access == Access::Broadcast ? 1 : plan.chunks;
  }

  /// Loads `inputs` for a block of `rows` rows, once per row only if an
  /// input depends on the rows and once per chunk only if it is a vector;
  /// input `skip` (the root's result in an epilogue) is not loaded.
  SmallVector<SmallVector<Value>>
  loadBlock(ArrayRef<KernelInput> inputs, const Dims &dims, unsigned rows,
            bool masked, std::optional<unsigned> skip = std::nullopt);

  /// The value of `input` at (row, chunk) among its loads from loadBlock.
  Value loadedAt(ArrayRef<Value> loads, const KernelInput &input, unsigned row,
                 unsigned chunk) const;

  /// One reduction step of the generic (lane-wise body) kernel.
  SmallVector<Value> genericStep(const Dims &dims, unsigned rows,
                                 ArrayRef<Value> accs, bool masked);

  /// vdpbf16ps in vector ops: for each lane j, acc[j] + a[2j+1] * b[2j+1]
  /// (rounded), then + a[2j] * b[2j] (rounded); the bf16 products are exact
  /// in f32. (The instruction also flushes denormals.)
  Value emulateDotBF16(Value acc, Value a, Value w) {
    auto wide = VectorType::get({32}, b.getF32Type());
    Value products =
        arith::MulFOp::create(b, loc, arith::ExtFOp::create(b, loc, wide, a),
                              arith::ExtFOp::create(b, loc, wide, w));
    SmallVector<int64_t> even, odd;
    for (int64_t j = 0; j < 16; ++j) {
      even.push_back(2 * j);
      odd.push_back(2 * j + 1);
    }
    Value sum = arith::AddFOp::create(
        b, loc, acc,
        vector::ShuffleOp::create(b, loc, products, products, odd));
    return arith::AddFOp::create(
        b, loc, sum,
        vector::ShuffleOp::create(b, loc, products, products, even));
  }

  /// The reduction loops of the packed dot-product (VNNI, bf16) kernel.
  SmallVector<Value> dotReduction(Dims dims, unsigned rows,
                                  SmallVector<Value> accs);

  OpBuilder &b;
  KernelPlan &plan;
  Location loc;
  SmallVector<Value> extents; // by root dim
};

SmallVector<Value> KernelEmitter::indices(AffineMap map, const Dims &dims,
                                          unsigned row, int64_t vectorOffset) {
  Dims shifted(dims);
  if (row != 0 && plan.rowDim)
    shifted[*plan.rowDim] =
        arith::AddIOp::create(b, loc, dims[*plan.rowDim], index(row));
  if (vectorOffset != 0)
    shifted[plan.vectorDim] = arith::AddIOp::create(
        b, loc, dims[plan.vectorDim], index(vectorOffset));
  SmallVector<Value> result;
  for (AffineExpr expr : map.getResults()) {
    AffineMap single = AffineMap::get(map.getNumDims(), 0, expr);
    SmallVector<OpFoldResult> operands(shifted.begin(), shifted.end());
    result.push_back(getValueOrCreateConstantIndexOp(
        b, loc,
        affine::makeComposedFoldedAffineApply(b, loc, single, operands)));
  }
  return result;
}

Value KernelEmitter::load(const KernelInput &input, const Dims &dims,
                          unsigned row, unsigned chunk, bool masked) {
  Type type = getElementTypeOrSelf(input.value.getType());
  if (!input.map)
    return vector::BroadcastOp::create(b, loc, vec(type), input.value);
  int64_t offset = static_cast<int64_t>(chunk * plan.lanes);
  if (input.access == Access::Broadcast) {
    Value scalar = tensor::ExtractOp::create(b, loc, input.value,
                                             indices(input.map, dims, row, 0));
    return vector::BroadcastOp::create(b, loc, vec(type), scalar);
  }
  Value padding = arith::ConstantOp::create(b, loc, b.getZeroAttr(type));
  if (input.packed) {
    int64_t tile = plan.tile();
    SmallVector<Value> at = indices(
        input.map.getMajorSubMap(input.map.getNumResults() - 1), dims, row, 0);
    at.insert(at.begin(), arith::DivUIOp::create(b, loc, dims[plan.vectorDim],
                                                 index(tile)));
    at.push_back(index(offset));
    SmallVector<bool> inBounds{true}; // padded to whole tiles
    return vector::TransferReadOp::create(b, loc, vec(type), input.value, at,
                                          padding, inBounds);
  }
  if (input.access == Access::Contiguous) {
    SmallVector<bool> inBounds{!masked};
    return vector::TransferReadOp::create(b, loc, vec(type), input.value,
                                          indices(input.map, dims, row, offset),
                                          padding, inBounds);
  }
  if (input.access == Access::Gather) {
    // Lanes `stride` elements apart in the row-major tensor, read through
    // its 1-D view.
    auto tensorType = cast<RankedTensorType>(input.value.getType());
    Value flat = collapseTo1D(b, loc, input.value);
    // In the masked tile, lanes past the extent read the last valid
    // position instead (their values are never stored): all addresses stay
    // in bounds and the gather needs no mask, which LLVM would scalarize.
    Dims at = dims;
    Value lanesPast; // i32 splat: lanes before the first valid one
    Value lastLane;  // i32 splat: the last valid lane
    auto i32Vector = VectorType::get({plan.lanes}, b.getI32Type());
    if (masked) {
      Value start =
          arith::AddIOp::create(b, loc, dims[plan.vectorDim], index(offset));
      Value last =
          arith::SubIOp::create(b, loc, extents[plan.vectorDim], index(1));
      Value first = arith::MinUIOp::create(b, loc, start, last);
      at[plan.vectorDim] = first;
      auto splat = [&](Value v) {
        return vector::BroadcastOp::create(
            b, loc, i32Vector,
            arith::IndexCastOp::create(
                b, loc, b.getI32Type(),
                arith::SubIOp::create(b, loc, v, first)));
      };
      lanesPast = splat(start);
      lastLane = splat(last);
    } else {
      at[plan.vectorDim] =
          arith::AddIOp::create(b, loc, dims[plan.vectorDim], index(offset));
    }
    SmallVector<Value> position = indices(input.map, at, row, 0);
    Value base = position[0];
    for (auto [i, value] : llvm::enumerate(position)) {
      if (i == 0)
        continue;
      base =
          arith::MulIOp::create(b, loc, base, index(tensorType.getDimSize(i)));
      base = arith::AddIOp::create(b, loc, base, value);
    }
    SmallVector<int32_t> iota;
    for (unsigned lane = 0; lane < plan.lanes; ++lane)
      iota.push_back(static_cast<int32_t>(lane));
    Value lanes = arith::ConstantOp::create(
        b, loc, DenseElementsAttr::get(i32Vector, ArrayRef<int32_t>(iota)));
    if (masked)
      lanes = arith::MinSIOp::create(
          b, loc, arith::AddIOp::create(b, loc, lanes, lanesPast), lastLane);
    Value offsets = arith::MulIOp::create(
        b, loc, lanes,
        arith::ConstantOp::create(
            b, loc,
            DenseElementsAttr::get(i32Vector,
                                   static_cast<int32_t>(input.stride))));
    auto maskType = VectorType::get({plan.lanes}, b.getI1Type());
    Value mask = arith::ConstantOp::create(
        b, loc, DenseElementsAttr::get(maskType, true));
    Value zeros = arith::ConstantOp::create(b, loc, b.getZeroAttr(vec(type)));
    return vector::GatherOp::create(b, loc, vec(type), flat, ValueRange{base},
                                    offsets, mask, zeros, IntegerAttr());
  }
  // Strided: read stride * lanes elements, keep every stride-th one. The
  // last stride - 1 elements may lie past the end: always masked.
  int64_t stride = input.stride;
  auto wide = VectorType::get({plan.lanes * stride}, type);
  SmallVector<bool> inBounds{false};
  Value all = vector::TransferReadOp::create(
      b, loc, wide, input.value, indices(input.map, dims, row, offset), padding,
      inBounds);
  SmallVector<int64_t> mask;
  for (unsigned lane = 0; lane < plan.lanes; ++lane)
    mask.push_back(lane * stride);
  return vector::ShuffleOp::create(b, loc, all, all, mask);
}

Value KernelEmitter::applyBody(Block *body, ArrayRef<Value> args) {
  IRMapping mapping;
  for (auto [arg, value] : llvm::zip(body->getArguments(), args))
    mapping.map(arg, value);
  // Values from outside the body are scalars: broadcast them.
  auto lookup = [&](Value value) -> Value {
    if (!mapping.contains(value))
      mapping.map(value, vector::BroadcastOp::create(
                             b, loc, vec(value.getType()), value)
                             .getResult());
    return mapping.lookup(value);
  };
  // A product used only by one addition becomes a fused multiply-add (as
  // the vector.contract lowerings do): such mulf ops are emitted with their
  // addf (at most one product per addition).
  llvm::DenseMap<Operation *, arith::MulFOp> fusedInto;
  llvm::SmallPtrSet<Operation *, 4> deferred;
  for (auto add : body->getOps<arith::AddFOp>()) {
    for (Value operand : {add.getRhs(), add.getLhs()}) {
      auto mul = operand.getDefiningOp<arith::MulFOp>();
      if (mul && mul->getBlock() == body && mul->hasOneUse()) {
        fusedInto[add] = mul;
        deferred.insert(mul);
        break;
      }
    }
  }
  for (Operation &op : body->without_terminator()) {
    if (auto constant = dyn_cast<arith::ConstantOp>(op)) {
      auto splat =
          DenseElementsAttr::get(vec(constant.getType()), constant.getValue());
      mapping.map(constant.getResult(),
                  arith::ConstantOp::create(b, loc, splat).getResult());
      continue;
    }
    if (deferred.contains(&op))
      continue;
    if (arith::MulFOp mul = fusedInto.lookup(&op)) {
      auto add = cast<arith::AddFOp>(op);
      Value addend =
          add.getLhs() == mul.getResult() ? add.getRhs() : add.getLhs();
      Value fma = vector::FMAOp::create(b, loc, lookup(mul.getLhs()),
                                        lookup(mul.getRhs()), lookup(addend));
      mapping.map(add.getResult(), fma);
      continue;
    }
    // An op of broadcast scalars runs on the scalars, and its result is
    // broadcast: one scalar op instead of a vector op per row (a bf16
    // activation is widened before its broadcast, not after).
    SmallVector<Value> scalars;
    bool allScalars = op.getNumResults() == 1;
    for (Value operand : op.getOperands()) {
      Value mapped = lookup(operand);
      if (!allScalars)
        continue;
      if (auto splat = mapped.getDefiningOp<vector::BroadcastOp>();
          splat && !isa<VectorType>(splat.getSource().getType()))
        scalars.push_back(splat.getSource());
      else if (auto constant = mapped.getDefiningOp<arith::ConstantOp>();
               constant && isa<SplatElementsAttr>(constant.getValue()))
        scalars.push_back(arith::ConstantOp::create(
            b, loc,
            cast<SplatElementsAttr>(constant.getValue())
                .getSplatValue<TypedAttr>()));
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
      continue;
    }
    Operation *clone = b.clone(op, mapping);
    for (OpResult result : clone->getResults())
      result.setType(vec(result.getType()));
  }
  return lookup(body->getTerminator()->getOperand(0));
}

SmallVector<SmallVector<Value>>
KernelEmitter::loadBlock(ArrayRef<KernelInput> inputs, const Dims &dims,
                         unsigned rows, bool masked,
                         std::optional<unsigned> skip) {
  SmallVector<SmallVector<Value>> loaded(inputs.size());
  for (auto [i, input] : llvm::enumerate(inputs)) {
    if (skip && i == *skip)
      continue;
    unsigned loadRows = input.dependsOnRows ? rows : 1;
    for (unsigned row = 0; row < loadRows; ++row)
      for (unsigned chunk = 0; chunk < loadChunks(input); ++chunk)
        loaded[i].push_back(load(input, dims, row, chunk, masked));
  }
  return loaded;
}

Value KernelEmitter::loadedAt(ArrayRef<Value> loads, const KernelInput &input,
                              unsigned row, unsigned chunk) const {
  unsigned r = input.dependsOnRows ? row : 0;
  unsigned c = loadChunks(input) == 1 ? 0 : chunk;
  return loads[r * loadChunks(input) + c];
}

SmallVector<Value> KernelEmitter::genericStep(const Dims &dims, unsigned rows,
                                              ArrayRef<Value> accs,
                                              bool masked) {
  SmallVector<SmallVector<Value>> loaded =
      loadBlock(plan.inputs, dims, rows, masked);
  SmallVector<Value> next;
  for (unsigned row = 0; row < rows; ++row) {
    for (unsigned chunk = 0; chunk < plan.chunks; ++chunk) {
      SmallVector<Value> args;
      for (auto [i, input] : llvm::enumerate(plan.inputs))
        args.push_back(loadedAt(loaded[i], input, row, chunk));
      args.push_back(accs[row * plan.chunks + chunk]);
      next.push_back(applyBody(plan.root.getBlock(), args));
    }
  }
  return next;
}

SmallVector<Value> KernelEmitter::dotReduction(Dims dims, unsigned rows,
                                               SmallVector<Value> accs) {
  DotPlan &dot = *plan.dot;
  const KernelInput &act = plan.inputs[dot.activation];
  MLIRContext *context = b.getContext();
  Type element = dot.bf16 ? Type(BFloat16Type::get(context))
                          : Type(IntegerType::get(context, 8));
  Type i32 = IntegerType::get(context, 32);
  int64_t group = dot.group();
  auto groupType = VectorType::get({group}, element);
  // One 512-bit register of packed groups.
  auto packedType = VectorType::get({16 * group}, element);
  int64_t groupExtent = plan.ranges[dot.groupDim]; // static (planned)
  int64_t fullGroups = groupExtent / group;
  int64_t tile = plan.tile();

  // One group at `dims` (group dim = group * g): the broadcast groups per
  // row, one packed weight load per 16 lanes, one dot per row and load.
  auto step = [&](const Dims &at, Value g, Value otherLinear,
                  ArrayRef<Value> in, bool maskedGroup) {
    SmallVector<Value> bcast;
    Value padding = arith::ConstantOp::create(b, loc, b.getZeroAttr(element));
    for (unsigned row = 0; row < rows; ++row) {
      SmallVector<bool> inBounds{!maskedGroup};
      Value q = vector::TransferReadOp::create(b, loc, groupType, dot.broadcast,
                                               indices(act.map, at, row, 0),
                                               padding, inBounds);
      Value word =
          vector::BitCastOp::create(b, loc, VectorType::get({1}, i32), q);
      Value scalar = vector::ExtractOp::create(b, loc, word, 0);
      Value splat = vector::BroadcastOp::create(
          b, loc, VectorType::get({16}, i32), scalar);
      bcast.push_back(vector::BitCastOp::create(b, loc, packedType, splat));
    }
    // Packed offset of (v0 / tile, other, g, 16 j).
    Value panel = arith::AddIOp::create(
        b, loc,
        arith::MulIOp::create(
            b, loc,
            arith::DivUIOp::create(b, loc, at[plan.vectorDim], index(tile)),
            index(dot.otherCount)),
        otherLinear);
    Value base = arith::AddIOp::create(
        b, loc, arith::MulIOp::create(b, loc, panel, index(dot.groups)), g);
    base = arith::MulIOp::create(b, loc, base, index(tile * group));
    unsigned vectors = tile / 16;
    SmallVector<Value> weights;
    for (unsigned j = 0; j < vectors; ++j) {
      Value offset = arith::AddIOp::create(b, loc, base, index(16 * group * j));
      SmallVector<bool> inBounds{true};
      weights.push_back(vector::TransferReadOp::create(
          b, loc, packedType, dot.packed, ValueRange{offset}, padding,
          inBounds));
    }
    SmallVector<Value> out;
    for (unsigned row = 0; row < rows; ++row) {
      for (unsigned j = 0; j < vectors; ++j) {
        Value acc = in[row * vectors + j];
        if (dot.emulate)
          out.push_back(emulateDotBF16(acc, bcast[row], weights[j]));
        else if (dot.bf16)
          out.push_back(
              x86vector::DotBF16Op::create(b, loc, acc, bcast[row], weights[j])
                  .getResult());
        else
          out.push_back(VNNIDotOp::create(b, loc, acc, bcast[row], weights[j])
                            .getResult());
      }
    }
    return out;
  };

  // The other reduction dims as loops (linearized index for the packed
  // weight), then the groups.
  std::function<SmallVector<Value>(unsigned, Dims &, Value, SmallVector<Value>)>
      nest = [&](unsigned level, Dims &at, Value linear,
                 SmallVector<Value> in) -> SmallVector<Value> {
    if (level < dot.otherReductions.size()) {
      unsigned dim = dot.otherReductions[level];
      auto loop =
          scf::ForOp::create(b, loc, index(0), extents[dim], index(1), in);
      OpBuilder::InsertionGuard guard(b);
      b.setInsertionPointToStart(loop.getBody());
      at[dim] = loop.getInductionVar();
      Value nextLinear = arith::AddIOp::create(
          b, loc, arith::MulIOp::create(b, loc, linear, extents[dim]),
          loop.getInductionVar());
      SmallVector<Value> out =
          nest(level + 1, at, nextLinear,
               SmallVector<Value>(loop.getRegionIterArgs()));
      scf::YieldOp::create(b, loc, out);
      return SmallVector<Value>(loop.getResults());
    }
    if (fullGroups > 0) {
      auto loop =
          scf::ForOp::create(b, loc, index(0), index(fullGroups), index(1), in);
      OpBuilder::InsertionGuard guard(b);
      b.setInsertionPointToStart(loop.getBody());
      Value g = loop.getInductionVar();
      at[dot.groupDim] = arith::MulIOp::create(b, loc, g, index(group));
      SmallVector<Value> out = step(
          at, g, linear, SmallVector<Value>(loop.getRegionIterArgs()), false);
      scf::YieldOp::create(b, loc, out);
      in = SmallVector<Value>(loop.getResults());
    }
    if (groupExtent % group != 0) {
      at[dot.groupDim] = index(fullGroups * group);
      in = step(at, index(fullGroups), linear, in, true);
    }
    return in;
  };
  return nest(0, dims, index(0), accs);
}

Value KernelEmitter::emitTile(Dims dims, unsigned rows, Value dest,
                              bool masked) {
  // Initial accumulators.
  SmallVector<Value> accs;
  Value fill;
  if (plan.fillValue)
    fill =
        vector::BroadcastOp::create(b, loc, vec(plan.accType), plan.fillValue);
  else if (!plan.root.payloadUsesValueFromOperand(
               plan.root.getDpsInitOperand(0)))
    fill = arith::ConstantOp::create( // never read
        b, loc, b.getZeroAttr(vec(plan.accType)));
  for (unsigned row = 0; row < rows; ++row) {
    for (unsigned chunk = 0; chunk < plan.chunks; ++chunk) {
      if (fill) {
        accs.push_back(fill);
        continue;
      }
      KernelInput init;
      init.value = plan.rootInit;
      init.map = plan.outputMap;
      init.access = Access::Contiguous;
      accs.push_back(load(init, dims, row, chunk, masked));
    }
  }
  if (plan.dot && plan.dot->columnSums) {
    // int8: acc -= 128 * column sums (undoes the unsigned activation offset).
    KernelInput sums;
    sums.value = plan.dot->columnSums;
    sums.map = AffineMap::get(plan.root.getNumLoops(), 0,
                              getAffineDimExpr(plan.vectorDim, b.getContext()));
    sums.access = Access::Contiguous;
    for (unsigned chunk = 0; chunk < plan.chunks; ++chunk) {
      // The sums are padded to whole tiles: never masked.
      Value s = load(sums, dims, 0, chunk, /*masked=*/false);
      for (unsigned row = 0; row < rows; ++row) {
        Value &acc = accs[row * plan.chunks + chunk];
        acc = arith::SubIOp::create(b, loc, acc, s);
      }
    }
  }
  if (plan.dot) {
    accs = dotReduction(dims, rows, accs);
  } else {
    // The reduction loops, accumulators as iteration arguments.
    std::function<SmallVector<Value>(unsigned, Dims &, SmallVector<Value>)>
        nest = [&](unsigned level, Dims &at,
                   SmallVector<Value> in) -> SmallVector<Value> {
      if (level == plan.reductionDims.size())
        return genericStep(at, rows, in, masked);
      unsigned dim = plan.reductionDims[level];
      auto loop =
          scf::ForOp::create(b, loc, index(0), extents[dim], index(1), in);
      OpBuilder::InsertionGuard guard(b);
      b.setInsertionPointToStart(loop.getBody());
      at[dim] = loop.getInductionVar();
      SmallVector<Value> out =
          nest(level + 1, at, SmallVector<Value>(loop.getRegionIterArgs()));
      scf::YieldOp::create(b, loc, out);
      return SmallVector<Value>(loop.getResults());
    };
    accs = nest(0, dims, accs);
  }

  // Epilogue and write.
  SmallVector<SmallVector<Value>> epilogueLoads;
  if (plan.epilogue)
    epilogueLoads = loadBlock(plan.epilogue->inputs, dims, rows, masked,
                              plan.epilogue->rootInput);
  for (unsigned row = 0; row < rows; ++row) {
    for (unsigned chunk = 0; chunk < plan.chunks; ++chunk) {
      Value value = accs[row * plan.chunks + chunk];
      if (plan.epilogue) {
        SmallVector<Value> args;
        for (auto [i, input] : llvm::enumerate(plan.epilogue->inputs)) {
          if (i == plan.epilogue->rootInput)
            args.push_back(value);
          else
            args.push_back(loadedAt(epilogueLoads[i], input, row, chunk));
        }
        // The epilogue's output argument is unused (checked when planning).
        value = applyBody(plan.epilogue->op.getBlock(), args);
      }
      SmallVector<bool> inBounds{!masked};
      dest = vector::TransferWriteOp::create(
                 b, loc, value, dest,
                 indices(plan.outputMap, dims, row,
                         static_cast<int64_t>(chunk * plan.lanes)),
                 inBounds)
                 .getResult();
    }
  }
  return dest;
}

Value KernelEmitter::emitRowLoops(Dims dims, Value dest, bool masked,
                                  Value begin, Value end) {
  if (!plan.rowDim) {
    return emitTile(dims, 1, dest, masked);
  }
  unsigned rowDim = *plan.rowDim;
  if (!begin) {
    begin = index(0);
    end = extents[rowDim];
  }
  Value rowsValue = index(plan.rows);
  // Whole blocks: [begin, end - (end - begin) % rows).
  Value full = arith::SubIOp::create(
      b, loc, end,
      arith::RemUIOp::create(b, loc, arith::SubIOp::create(b, loc, end, begin),
                             rowsValue));
  auto blocks =
      scf::ForOp::create(b, loc, begin, full, rowsValue, ValueRange{dest});
  {
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(blocks.getBody());
    dims[rowDim] = blocks.getInductionVar();
    Value out =
        emitTile(dims, plan.rows, blocks.getRegionIterArgs()[0], masked);
    scf::YieldOp::create(b, loc, out);
  }
  dest = blocks.getResult(0);
  // The remaining rows one at a time.
  auto remainder =
      scf::ForOp::create(b, loc, full, end, index(1), ValueRange{dest});
  {
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(remainder.getBody());
    dims[rowDim] = remainder.getInductionVar();
    Value out = emitTile(dims, 1, remainder.getRegionIterArgs()[0], masked);
    scf::YieldOp::create(b, loc, out);
  }
  return remainder.getResult(0);
}

Value KernelEmitter::emit() {
  linalg::LinalgOp root = plan.root;
  for (Range range : root.createLoopRanges(b, loc))
    extents.push_back(getValueOrCreateConstantIndexOp(b, loc, range.size));
  Dims dims(root.getNumLoops(), Value());

  int64_t tile = plan.tile();
  // The outermost loop with more than one iteration is the one threads share
  // (compress-parallelize): iterations write disjoint parts of the result.
  bool tagged = false;
  auto tagParallel = [&](scf::ForOp loop, Value extent) {
    std::optional<int64_t> trips = getConstantIntValue(extent);
    if (tagged || (trips && *trips <= 1))
      return;
    loop->setAttr(kParallelLoopAttr, b.getUnitAttr());
    tagged = true;
  };
  // The outer parallel dims from `level` on, then `body`.
  using Body = function_ref<Value(Value)>;
  std::function<Value(unsigned, Value, Body)> outerDims =
      [&](unsigned level, Value dest, Body body) -> Value {
    if (level == plan.outerDims.size())
      return body(dest);
    unsigned dim = plan.outerDims[level];
    auto loop = scf::ForOp::create(b, loc, index(0), extents[dim], index(1),
                                   ValueRange{dest});
    tagParallel(loop, extents[dim]);
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(loop.getBody());
    dims[dim] = loop.getInductionVar();
    Value out = outerDims(level + 1, loop.getRegionIterArgs()[0], body);
    scf::YieldOp::create(b, loc, out);
    return loop.getResult(0);
  };
  // Whole vector tiles, then the masked remainder tile (if any), each
  // running `body(dest, masked)`.
  auto vectorTiles = [&](Value dest,
                         function_ref<Value(Value, bool)> body) -> Value {
    Value extent = extents[plan.vectorDim];
    Value tileValue = index(tile);
    Value full = arith::SubIOp::create(
        b, loc, extent, arith::RemUIOp::create(b, loc, extent, tileValue));
    auto tiles =
        scf::ForOp::create(b, loc, index(0), full, tileValue, ValueRange{dest});
    std::optional<int64_t> staticExtent = getConstantIntValue(extent);
    tagParallel(tiles, staticExtent ? index(*staticExtent / tile) : full);
    {
      OpBuilder::InsertionGuard guard(b);
      b.setInsertionPointToStart(tiles.getBody());
      dims[plan.vectorDim] = tiles.getInductionVar();
      scf::YieldOp::create(b, loc, body(tiles.getRegionIterArgs()[0], false));
    }
    dest = tiles.getResult(0);
    if (staticExtent && *staticExtent % tile == 0)
      return dest;
    auto last =
        scf::ForOp::create(b, loc, full, extent, tileValue, ValueRange{dest});
    {
      OpBuilder::InsertionGuard guard(b);
      b.setInsertionPointToStart(last.getBody());
      dims[plan.vectorDim] = last.getInductionVar();
      scf::YieldOp::create(b, loc, body(last.getRegionIterArgs()[0], true));
    }
    return last.getResult(0);
  };
  if (plan.tilesOutermost)
    return vectorTiles(plan.dest, [&](Value dest, bool masked) {
      return outerDims(0, dest, [&](Value inner) {
        return emitRowLoops(dims, inner, masked);
      });
    });
  if (plan.rowPanel) {
    // Panels of rows whose activation stays in L2, the vector tiles inside.
    Value extent = extents[*plan.rowDim];
    Value step = index(plan.rowPanel);
    return outerDims(0, plan.dest, [&](Value dest) {
      auto panels =
          scf::ForOp::create(b, loc, index(0), extent, step, ValueRange{dest});
      int64_t rows = plan.ranges[*plan.rowDim];
      tagParallel(panels, ShapedType::isDynamic(rows)
                              ? extent
                              : index(llvm::divideCeil(rows, plan.rowPanel)));
      OpBuilder::InsertionGuard guard(b);
      b.setInsertionPointToStart(panels.getBody());
      Value begin = panels.getInductionVar();
      Value end = arith::MinUIOp::create(
          b, loc, arith::AddIOp::create(b, loc, begin, step), extent);
      Value out = vectorTiles(
          panels.getRegionIterArgs()[0], [&](Value inner, bool masked) {
            return emitRowLoops(dims, inner, masked, begin, end);
          });
      scf::YieldOp::create(b, loc, out);
      return panels.getResult(0);
    });
  }
  return outerDims(0, plan.dest, [&](Value dest) {
    return vectorTiles(dest, [&](Value inner, bool masked) {
      return emitRowLoops(dims, inner, masked);
    });
  });
}

//===----------------------------------------------------------------------===//
// The pass
//===----------------------------------------------------------------------===//

/// Repacks a constant vector input that the reduction loops walk (a weight)
/// into vector-tile panels, so each tile streams through contiguous memory
/// instead of striding by a whole row per reduction step. Requires the
/// input's last index to be exactly the vector dim.
static void packConstantInput(OpBuilder &builder, KernelPlan &plan,
                              KernelInput &input) {
  if (input.access != Access::Contiguous || !input.map ||
      !input.map.isProjectedPermutation())
    return;
  unsigned rank = input.map.getNumResults();
  if (input.map.getResult(rank - 1) !=
          getAffineDimExpr(plan.vectorDim, builder.getContext()) ||
      !llvm::any_of(plan.reductionDims, [&](unsigned dim) {
        return input.map.isFunctionOfDim(dim);
      }))
    return;
  std::optional<std::vector<char>> bytes = readConstantBytes(input.value);
  if (!bytes)
    return;
  auto type = cast<RankedTensorType>(input.value.getType());
  int64_t tile = plan.tile();
  int64_t vectorExtent = type.getShape().back();
  int64_t tiles = llvm::divideCeil(vectorExtent, tile);
  int64_t rows = type.getNumElements() / std::max<int64_t>(vectorExtent, 1);
  size_t elementBytes = type.getElementTypeBitWidth() / 8;
  std::vector<char> packed(tiles * rows * tile * elementBytes, 0);
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t v = 0; v < vectorExtent; ++v)
      std::memcpy(
          &packed[((v / tile * rows + r) * tile + v % tile) * elementBytes],
          &(*bytes)[(r * vectorExtent + v) * elementBytes], elementBytes);
  SmallVector<int64_t> shape{tiles};
  llvm::append_range(shape, type.getShape().drop_back());
  shape.push_back(tile);
  auto packedType = RankedTensorType::get(shape, type.getElementType());
  input.value = arith::ConstantOp::create(
      builder, input.value.getLoc(),
      DenseElementsAttr::getFromRawBuffer(packedType, packed));
  input.packed = true;
}

/// Bytes of a statically shaped tensor value (0 otherwise).
static int64_t staticBytes(Value value) {
  auto type = dyn_cast<RankedTensorType>(value.getType());
  if (!type || !type.hasStaticShape())
    return 0;
  return type.getNumElements() * type.getElementTypeBitWidth() / 8;
}

/// Half of a 2 MiB L2 cache: what a kernel may keep resident across loops.
constexpr int64_t kL2Budget = 1 << 20;

/// Bytes of the broadcast inputs (the activation) that depend on `dim`
/// (any dim if none is given).
static int64_t activationBytes(const KernelPlan &plan,
                               std::optional<unsigned> dim = std::nullopt) {
  int64_t bytes = 0;
  for (const KernelInput &input : plan.inputs)
    if (input.access == Access::Broadcast && input.map &&
        (!dim || input.map.isFunctionOfDim(*dim)))
      bytes += staticBytes(input.value);
  return bytes;
}

/// True if the weight (the packed constant) does not stay in the L2 cache
/// (more than half of a 2 MiB L2) and, with the outer dims outside the
/// vector tiles, re-reading it for every outer iteration would move more
/// bytes than re-reading the activation (the broadcast inputs) for every
/// vector tile in the other order. (A weight that fits is better read from
/// L2 per outer iteration: the activation rows then stay in L1 across the
/// tiles.)
static bool weightTrafficDominates(const KernelPlan &plan) {
  int64_t weight = plan.dot ? staticBytes(plan.dot->packed) : 0;
  for (const KernelInput &input : plan.inputs)
    if (input.packed)
      weight = std::max(weight, staticBytes(input.value));
  int64_t outer = 1;
  for (unsigned dim : plan.outerDims) {
    if (ShapedType::isDynamic(plan.ranges[dim]))
      return false;
    outer *= plan.ranges[dim];
  }
  int64_t vectorExtent = plan.ranges[plan.vectorDim];
  if (weight <= kL2Budget || outer == 1 || ShapedType::isDynamic(vectorExtent))
    return false;
  int64_t tiles = llvm::divideCeil(vectorExtent, plan.tile());
  return weight * outer > activationBytes(plan) * tiles;
}

/// Rows per panel when the activation (the broadcast inputs that depend on
/// the row dim) does not stay in L2 across the vector tiles: as many rows
/// as fill half of a 2 MiB L2, a multiple of the register block; 0 if no
/// panels are needed.
static int64_t chooseRowPanel(const KernelPlan &plan) {
  if (!plan.rowDim || ShapedType::isDynamic(plan.ranges[*plan.rowDim]) ||
      ShapedType::isDynamic(plan.ranges[plan.vectorDim]))
    return 0;
  int64_t activation = activationBytes(plan, plan.rowDim);
  int64_t rows = plan.ranges[*plan.rowDim];
  int64_t tiles = llvm::divideCeil(plan.ranges[plan.vectorDim], plan.tile());
  if (activation <= kL2Budget || tiles < 2 || rows < 2 * plan.rows)
    return 0;
  int64_t perRow = llvm::divideCeil(activation, rows);
  int64_t panel =
      std::max<int64_t>(kL2Budget / perRow / plan.rows, 1) * plan.rows;
  return panel >= rows ? 0 : panel;
}

/// Replaces the root (and epilogue) of `plan` by its kernel.
static void emitKernel(KernelPlan &plan, const TargetCPU &target,
                       bool emulateBF16Dot) {
  Operation *replaced = plan.replaced();
  OpBuilder builder(replaced);
  plan.dot = planPackedDot(builder, plan, target, emulateBF16Dot);
  if (!plan.dot)
    for (KernelInput &input : plan.inputs)
      packConstantInput(builder, plan, input);
  // Without reductions nothing is reused across vector tiles: one row block
  // per panel, so each block streams along its rows instead of striding a
  // whole row (a new page) per step of a column stripe.
  if (plan.reductionDims.empty() && plan.rowDim)
    plan.rowPanel = plan.rows;
  else if (!(plan.tilesOutermost = weightTrafficDominates(plan)))
    plan.rowPanel = chooseRowPanel(plan);
  KernelEmitter emitter(builder, plan);
  Value result = emitter.emit();
  replaced->getResult(0).replaceAllUsesWith(result);
  // Constants that were repacked (and fills that are now folded into the
  // accumulators) must not survive into the binary.
  SmallVector<Operation *> ops{replaced};
  if (replaced != plan.root.getOperation())
    ops.push_back(plan.root);
  eraseWithDeadProducers(ops);
}

/// Moves the ops of `group` before it and replaces its results by the
/// yielded values.
static void inlineGroup(FusionGroupOp group) {
  Block &body = group.getBody().front();
  Operation *yield = body.getTerminator();
  for (auto [result, value] :
       llvm::zip(group.getResults(), yield->getOperands()))
    result.replaceAllUsesWith(value);
  yield->erase();
  group->getBlock()->getOperations().splice(Block::iterator(group),
                                            body.getOperations());
  group->erase();
}

struct CompressTileAndVectorizePass
    : impl::CompressTileAndVectorizePassBase<CompressTileAndVectorizePass> {
  using CompressTileAndVectorizePassBase::CompressTileAndVectorizePassBase;

  LogicalResult initialize(MLIRContext *context) override {
    std::string error;
    FailureOr<TargetCPU> resolved = resolveTargetCPU(cpu, error);
    if (failed(resolved))
      return emitError(UnknownLoc::get(context))
             << "compress-tile-and-vectorize: " << error;
    target = *resolved;
    return success();
  }

  void runOnOperation() override {
    func::FuncOp func = getOperation();
    // Fusion groups: a root with reductions and (optionally) one elementwise
    // epilogue become one kernel; others are inlined.
    SmallVector<FusionGroupOp> groups;
    func.walk([&](FusionGroupOp group) { groups.push_back(group); });
    for (FusionGroupOp group : groups) {
      Block &body = group.getBody().front();
      SmallVector<linalg::LinalgOp> ops;
      for (Operation &op : body.without_terminator())
        if (auto linalgOp = dyn_cast<linalg::LinalgOp>(op))
          ops.push_back(linalgOp);
      inlineGroup(group);
      if (ops.size() != 2)
        continue;
      FailureOr<KernelPlan> plan = planKernel(ops[0], ops[1], target);
      if (succeeded(plan))
        emitKernel(*plan, target, emulateBF16Dot);
    }
    // Reductions of whole tensors to scalars (no parallel dim to tile).
    SmallVector<linalg::GenericOp> fullReductions;
    func.walk([&](linalg::GenericOp op) { fullReductions.push_back(op); });
    for (linalg::GenericOp op : fullReductions)
      vectorizeFullReduction(op, target.vectorBits());
    // The remaining ops, each alone: reductions first (their zero fills
    // become initial accumulators and disappear), then elementwise ops.
    for (bool reductions : {true, false}) {
      SmallVector<linalg::LinalgOp> roots;
      func.walk([&](linalg::LinalgOp op) {
        if ((op.getNumReductionLoops() > 0) == reductions)
          roots.push_back(op);
      });
      for (linalg::LinalgOp root : roots) {
        FailureOr<KernelPlan> plan = planKernel(root, nullptr, target);
        if (succeeded(plan))
          emitKernel(*plan, target, emulateBF16Dot);
      }
    }
  }

private:
  TargetCPU target;
};

} // namespace
} // namespace mlir::compress
