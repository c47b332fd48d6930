//===- KernelPlan.cpp - What one register-tiled kernel does ---------------===//
//
// Plans a kernel without building IR: the vector and row dims, the register
// block, the loop order, the dot-product variant (DotPlan.cpp), which
// constants are repacked, and the cache blocking, sized by the target's L2.
//
//===----------------------------------------------------------------------===//

#include "KernelPlan.h"
#include "DotPlan.h"
#include "EpilogueLegality.h"
#include "compress/Utils/IRUtils.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Utils/IndexingUtils.h"
#include "mlir/IR/Matchers.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#include <algorithm>
#include <limits>

using namespace mlir;
using namespace mlir::compress;
using namespace mlir::compress::kernels;

//===----------------------------------------------------------------------===//
// The loop structure
//===----------------------------------------------------------------------===//

/// The most vector registers of one row in a register tile.
static constexpr unsigned kMaxChunks = 4;

/// True if the body only has ops that can be applied lane by lane to vectors:
/// scalar constants and elementwise-mappable ops without regions.
static bool hasVectorizableBody(linalg::LinalgOp op) {
  Block *body = op.getBlock();
  auto isScalar = [](Type type) { return type.isIntOrFloat(); };
  if (!llvm::all_of(body->getArgumentTypes(), isScalar))
    return false;
  for (Operation &inner : body->without_terminator()) {
    if (auto constant = dyn_cast<arith::ConstantOp>(inner)) {
      if (!isScalar(constant.getType()))
        return false;
      continue;
    }
    if (!inner.hasTrait<OpTrait::Elementwise>() || inner.getNumRegions() != 0 ||
        !llvm::all_of(inner.getResultTypes(), isScalar) ||
        !llvm::all_of(inner.getOperandTypes(), isScalar))
      return false;
  }
  return true;
}

/// The rows of the register block for a row dim of static `extent`: the
/// count up to `maxRows` that needs the fewest blocks plus one-row
/// remainder steps (ties: more rows). Widths 7, 14 and 28 (ResNet's last
/// stages) get 7-row blocks and no remainder instead of 8-row blocks and up
/// to 7 one-row steps, which are bound by the weight loads.
static unsigned chooseRows(int64_t extent, unsigned maxRows) {
  // No more rows than there are (their registers go to more chunks).
  maxRows = static_cast<unsigned>(
      std::clamp<int64_t>(extent, 1, static_cast<int64_t>(maxRows)));
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

/// A per-group int8 kernel (DotPlan::groupScale) keeps an i32 and an f32
/// accumulator per register of the block: as many rows as leave a quarter
/// of the registers for the weights, the broadcasts and the group's scales.
/// (With 8 rows of 2 registers on AVX-512, the f32 accumulators are spilled
/// and reloaded every group: groups of 32 on a 1024^3 GEMM took 6.7 ms,
/// against 5.8 ms with 4 rows.)
static void limitGroupedRows(KernelPlan &plan, const TargetCPU &target) {
  unsigned maxRows = plan.rows;
  while (maxRows > 1 && 2 * maxRows * plan.chunks + maxRows + plan.chunks >
                            target.vectorRegisters() * 3 / 4)
    --maxRows;
  if (maxRows == plan.rows)
    return;
  int64_t extent = plan.rowDim ? plan.ranges[*plan.rowDim] : 1;
  plan.rows =
      ShapedType::isDynamic(extent) ? maxRows : chooseRows(extent, maxRows);
}

/// The row dim: the parallel dim (not the vector dim) that most inputs
/// reuse across rows: broadcast inputs that depend on it (one scalar per
/// row), vector inputs that do not (one load for all rows), and gathered
/// inputs whose innermost index it moves (the rows' gathers share cache
/// lines). Ties go to the inner dim.
static std::optional<unsigned> chooseRowDim(const KernelPlan &plan) {
  std::optional<unsigned> rowDim;
  int bestScore = -1;
  unsigned numResults = plan.outputMap.getNumResults();
  for (unsigned pos = 0; pos + 1 < numResults; ++pos) {
    unsigned dim = plan.outputMap.getDimPosition(pos);
    int score = 0;
    for (const KernelInput &input : plan.inputs) {
      if (!input.map)
        continue;
      if (input.access == Access::Gather) {
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
      rowDim = dim;
    }
  }
  return rowDim;
}

/// Whether the innermost index of `map` is `rowDim` plus terms of neither
/// the row nor the vector dim: consecutive rows are consecutive elements.
static bool isRowContiguous(AffineMap map, unsigned rowDim,
                            unsigned vectorDim) {
  AffineExpr last = map.getResults().back();
  AffineExpr rest =
      simplifyAffineExpr(last - getAffineDimExpr(rowDim, map.getContext()),
                         map.getNumDims(), map.getNumSymbols());
  return !rest.isFunctionOfDim(rowDim) && !rest.isFunctionOfDim(vectorDim);
}

/// Sorts the reduction loops in the layout order of the inputs that do not
/// depend on the vector dim (the activation): the dim of their innermost
/// index is the innermost loop, so consecutive steps read consecutive
/// elements (channels last: kh, kw, c).
static void orderReductions(KernelPlan &plan) {
  linalg::LinalgOp root = plan.root;
  root.getReductionDims(plan.reductionDims);
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
}

/// Classifies the inputs of `op` along the vector dim; the maps of an
/// epilogue are composed with `toRoot` (its dims to the root's).
static LogicalResult classifyInputs(const KernelPlan &plan, linalg::LinalgOp op,
                                    AffineMap toRoot,
                                    SmallVectorImpl<KernelInput> &inputs) {
  for (OpOperand *operand : op.getDpsInputOperands()) {
    AffineMap map;
    if (isa<ShapedType>(operand->get().getType())) {
      map = op.getMatchingIndexingMap(operand);
      if (toRoot)
        map = map.compose(toRoot);
    }
    std::optional<KernelInput> input =
        classifyInput(operand->get(), map, plan.vectorDim, plan.lanes);
    if (!input)
      return failure();
    inputs.push_back(*input);
  }
  return success();
}

/// Plans the fused `epilogue` of the plan's root.
static LogicalResult planEpilogue(KernelPlan &plan, linalg::LinalgOp epilogue) {
  linalg::LinalgOp root = plan.root;
  if (!isFusableEpilogue(epilogue, root) || !hasVectorizableBody(epilogue))
    return failure();
  Epilogue epi;
  epi.op = epilogue;
  for (OpOperand *operand : epilogue.getDpsInputOperands())
    if (operand->get() == root->getResult(0))
      epi.rootInput = operand->getOperandNumber();
  // Epilogue dim j is output position p of its output map, which is root
  // dim outputMap[p].
  AffineMap epilogueOut =
      epilogue.getMatchingIndexingMap(epilogue.getDpsInitOperand(0));
  unsigned numResults = plan.outputMap.getNumResults();
  MLIRContext *context = root.getContext();
  SmallVector<AffineExpr> toRoot(numResults);
  for (unsigned pos = 0; pos < numResults; ++pos)
    toRoot[epilogueOut.getDimPosition(pos)] =
        getAffineDimExpr(plan.outputMap.getDimPosition(pos), context);
  AffineMap toRootMap = AffineMap::get(root.getNumLoops(), 0, toRoot, context);
  if (failed(classifyInputs(plan, epilogue, toRootMap, epi.inputs)))
    return failure();
  plan.dest = epilogue.getDpsInitOperand(0)->get();
  plan.epilogue = epi;
  return success();
}

/// Plans the dims, the register block and the loop order of `root`'s
/// kernel.
static LogicalResult planLoops(KernelPlan &plan, const TargetCPU &target) {
  linalg::LinalgOp root = plan.root;
  plan.outputMap = root.getMatchingIndexingMap(root.getDpsInitOperand(0));
  // The output is indexed by exactly the parallel dims.
  if (!plan.outputMap.isProjectedPermutation() ||
      plan.outputMap.getNumResults() != root.getNumParallelLoops() ||
      plan.outputMap.getNumResults() == 0)
    return failure();
  plan.accType = getElementTypeOrSelf(root->getResult(0).getType());
  if (!plan.accType.isIntOrFloat() ||
      plan.accType.getIntOrFloatBitWidth() > 32 ||
      plan.accType.getIntOrFloatBitWidth() < 8)
    return failure();
  // Accumulators are up to 32 bits wide. Two registers per row and half of
  // the registers for accumulators: 8 rows with AVX-512, 4 with AVX2.
  plan.lanes = target.lanes(32);
  unsigned maxRows = target.vectorRegisters() / 4;
  unsigned numResults = plan.outputMap.getNumResults();
  plan.vectorDim = plan.outputMap.getDimPosition(numResults - 1);
  plan.ranges = root.getStaticLoopRanges();
  int64_t vectorExtent = plan.ranges[plan.vectorDim];
  plan.chunks = !ShapedType::isDynamic(vectorExtent) &&
                        vectorExtent <= static_cast<int64_t>(plan.lanes)
                    ? 1
                    : 2;
  if (failed(classifyInputs(plan, root, AffineMap(), plan.inputs)))
    return failure();
  plan.rowDim = chooseRowDim(plan);
  if (!plan.rowDim)
    plan.rows = 1;
  else if (int64_t extent = plan.ranges[*plan.rowDim];
           !ShapedType::isDynamic(extent))
    plan.rows = chooseRows(extent, maxRows);
  else
    plan.rows = maxRows;
  // Few rows leave accumulator registers free: more vector chunks per row
  // give the reduction independent FMA chains (with one row and two
  // accumulators, a matrix-vector product waits on the FMA latency).
  if (plan.chunks == 2 && root.getNumReductionLoops() > 0) {
    unsigned accumulators = maxRows * 2;
    while (plan.chunks < kMaxChunks &&
           plan.rows * plan.chunks * 2 <= accumulators &&
           !ShapedType::isDynamic(vectorExtent) &&
           vectorExtent >= static_cast<int64_t>(plan.chunks * 2 * plan.lanes))
      plan.chunks *= 2;
  }
  for (unsigned pos = 0; pos < numResults; ++pos) {
    unsigned dim = plan.outputMap.getDimPosition(pos);
    if (dim != plan.vectorDim && dim != plan.rowDim)
      plan.outerDims.push_back(dim);
  }
  orderReductions(plan);
  return success();
}

//===----------------------------------------------------------------------===//
// Repacked constants
//===----------------------------------------------------------------------===//

/// True if the vector input `input` is read by the reduction loops with its
/// last index exactly the vector dim: a weight that can be read from
/// vector-tile panels.
static bool readsPanels(const KernelPlan &plan, const KernelInput &input) {
  if (input.access != Access::Contiguous || !input.map ||
      !input.map.isProjectedPermutation())
    return false;
  unsigned rank = input.map.getNumResults();
  return input.map.getResult(rank - 1) ==
             getAffineDimExpr(plan.vectorDim, input.map.getContext()) &&
         llvm::any_of(plan.reductionDims, [&](unsigned dim) {
           return input.map.isFunctionOfDim(dim);
         });
}

/// True if `value` is a constant the kernel can repack (bytes, or sub-byte
/// integer codes).
static bool isRepackableConstant(Value value) {
  auto type = dyn_cast<RankedTensorType>(value.getType());
  if (!type || !type.hasStaticShape())
    return false;
  if (isSubByteCodeType(type.getElementType()))
    return matchPattern(value, m_Constant<DenseIntElementsAttr>(nullptr));
  return hasConstantBytes(value);
}

/// Reorders the dims of a constant input read along the vector dim through
/// a permutation that does not end with it (an FCHW convolution weight, a
/// transposed matmul weight: a gather per step otherwise), so that the
/// vector dim is last: the repacked copy is transposed at compile time and
/// read as panels.
static void permuteForPanels(const KernelPlan &plan, KernelInput &input) {
  if (!input.map || !input.map.isProjectedPermutation() ||
      !isRepackableConstant(input.value))
    return;
  unsigned rank = input.map.getNumResults();
  std::optional<unsigned> vectorPos;
  for (unsigned r = 0; r < rank; ++r)
    if (input.map.getDimPosition(r) == plan.vectorDim)
      vectorPos = r;
  if (!vectorPos || *vectorPos == rank - 1 ||
      llvm::none_of(plan.reductionDims, [&](unsigned dim) {
        return input.map.isFunctionOfDim(dim);
      }))
    return;
  SmallVector<AffineExpr> results;
  for (unsigned r = 0; r < rank; ++r) {
    if (r == *vectorPos)
      continue;
    input.permutation.push_back(r);
    results.push_back(input.map.getResult(r));
  }
  input.permutation.push_back(*vectorPos);
  results.push_back(input.map.getResult(*vectorPos));
  input.map = AffineMap::get(input.map.getNumDims(), 0, results,
                             input.map.getContext());
  input.access = Access::Contiguous;
  input.stride = 1;
}

/// True if the constant vector input that the reduction loops walk (a
/// weight) is repacked into vector-tile panels, so each tile streams through
/// contiguous memory instead of striding by a whole row per reduction step.
static bool shouldPackPanels(const KernelPlan &plan, const KernelInput &input) {
  return readsPanels(plan, input) && hasConstantBytes(input.value) &&
         !isSubByteCodeType(getElementTypeOrSelf(input.value.getType()));
}

/// Plans the sub-byte constant inputs of the root: at most one, read from
/// nibble panels (so packed like a weight panel) and decoded through
/// tables, with 8 or 16 lanes (the lookups are AVX2/AVX-512 permutes).
/// Fails if a sub-byte input cannot be read that way.
static LogicalResult planSubByteInputs(KernelPlan &plan) {
  for (auto [i, input] : llvm::enumerate(plan.inputs)) {
    if (!isSubByteCodeType(getElementTypeOrSelf(input.value.getType())))
      continue;
    if (plan.codeTable || !isRepackableConstant(input.value) ||
        !readsPanels(plan, input) || (plan.lanes != 8 && plan.lanes != 16))
      return failure();
    plan.codeTable = planCodeTable(plan.root, i);
    if (!plan.codeTable)
      return failure();
    input.packed = true;
    input.nibbles = true;
  }
  return success();
}

/// Bytes of a statically shaped tensor value (0 otherwise).
static int64_t staticBytes(Value value) {
  auto type = dyn_cast<RankedTensorType>(value.getType());
  if (!type || !type.hasStaticShape())
    return 0;
  return type.getNumElements() * type.getElementTypeBitWidth() / 8;
}

/// Bits of an element of the shaped `value`; sub-byte codes are packed
/// two per byte.
static int64_t elementBits(Value value) {
  Type type = getElementTypeOrSelf(value.getType());
  return isSubByteCodeType(type) ? 4 : type.getIntOrFloatBitWidth();
}

/// Bytes of the largest repacked weight of the plan.
static int64_t packedWeightBytes(const KernelPlan &plan) {
  int64_t weight = 0;
  if (plan.dot)
    weight = plan.dot->layout.elements() *
             elementBits(plan.inputs[plan.dot->weight].value) / 8;
  for (const KernelInput &input : plan.inputs) {
    if (!input.packed)
      continue;
    SmallVector<int64_t> shape(
        cast<ShapedType>(input.value.getType()).getShape());
    if (!input.permutation.empty())
      shape = applyPermutation(shape, input.permutation);
    weight = std::max(weight, PanelLayout::get(shape, plan.tile()).elements() *
                                  elementBits(input.value) / 8);
  }
  return weight;
}

//===----------------------------------------------------------------------===//
// Decoded weight panels
//===----------------------------------------------------------------------===//

/// Plans the decode buffer of the root: its body must compute one f32
/// value (the decoded weight) from inputs that do not depend on the rows,
/// one of them a repacked constant that the reduction walks, through at
/// least one op; the buffer must fit in half the resident budget.
/// The smallest decode buffer worth allocating per row range.
static constexpr int64_t kMinDecodeBufferBytes = 4 << 10;
/// Body ops of a decode from which a weight with panels smaller than
/// kMinDecodeBufferBytes is still decoded, whole, into a buffer: log2 codes
/// (11 ops: sign, magnitude, exponent, zero) on a depthwise convolution
/// were 0.93x of fp32 decoded in registers. Cheaper decodes (int8: a
/// conversion; bf16: a shift) cost less in registers.
static constexpr size_t kMinOpsForSmallDecodeBuffer = 6;
/// The largest whole decoded weight (half the L1 of the CPUs measured).
static constexpr int64_t kMaxWholeDecodeBytes = 16 << 10;

static int64_t activationBytes(const KernelPlan &plan,
                               std::optional<unsigned> dim);

/// Whether a weight decoded once per vector tile can serve all outer
/// iterations (convolutions: every output row reuses the tile's weight):
/// static rows and outer dims, at least 4 row blocks in all, and no row
/// panels. The tile loop goes outermost, which re-reads the activation per
/// tile, so only when the activation stays in L2 (or the loop is outermost
/// already).
static bool decodesOncePerTile(const KernelPlan &plan, int64_t budget) {
  int64_t rows = plan.ranges[*plan.rowDim];
  if (ShapedType::isDynamic(rows) || plan.rowPanel ||
      !(plan.tilesOutermost || activationBytes(plan, std::nullopt) <= budget))
    return false;
  for (unsigned dim : plan.outerDims) {
    if (ShapedType::isDynamic(plan.ranges[dim]))
      return false;
    rows *= plan.ranges[dim];
  }
  return rows >= plan.minRowsForDecodeBuffer();
}

static void planDecodeBuffer(KernelPlan &plan, int64_t budget) {
  if (plan.dot || !plan.rowDim)
    return;
  int64_t bytes = plan.tile() * 4;
  for (unsigned dim : plan.reductionDims) {
    if (ShapedType::isDynamic(plan.ranges[dim]))
      return;
    bytes *= plan.ranges[dim];
  }
  if (bytes > budget)
    return;
  linalg::LinalgOp root = plan.root;
  Block *body = root.getBlock();
  // Block arguments of inputs read the same way by every row.
  llvm::SmallPtrSet<Value, 8> rowInvariant;
  bool readsPackedWeight = false;
  for (auto [i, input] : llvm::enumerate(plan.inputs))
    if (!input.dependsOnRows)
      rowInvariant.insert(body->getArgument(i));
  KernelPlan::DecodeBuffer decode;
  llvm::SmallPtrSet<Value, 8> computed;
  bool readsOuterDims = false;
  for (Operation &op : body->without_terminator()) {
    if (op.getNumRegions() != 0 || !isMemoryEffectFree(&op) ||
        op.getNumResults() != 1)
      continue;
    bool invariant = true, readsInput = false, readsOuter = false;
    for (Value operand : op.getOperands()) {
      if (computed.contains(operand)) {
        readsInput = true;
      } else if (rowInvariant.contains(operand)) {
        readsInput = true;
        const KernelInput &input =
            plan.inputs[cast<BlockArgument>(operand).getArgNumber()];
        readsPackedWeight |= input.packed;
        for (unsigned dim : plan.outerDims)
          readsOuter |= input.map && input.map.isFunctionOfDim(dim);
      } else if (!matchPattern(operand, m_Constant())) {
        invariant = false;
      }
    }
    if (!invariant || !readsInput)
      continue;
    decode.ops.insert(&op);
    computed.insert(op.getResult(0));
    readsOuterDims |= readsOuter;
  }
  // Exactly one value leaves the decode: the weight, in f32.
  for (Value value : computed) {
    if (llvm::all_of(value.getUsers(), [&](Operation *user) {
          return decode.ops.contains(user);
        }))
      continue;
    if (decode.weight || !value.getType().isF32())
      return;
    decode.weight = value;
  }
  if (!decode.weight || !readsPackedWeight)
    return;
  // The code table's ops must all be part of the decode.
  if (plan.codeTable && !llvm::all_of(plan.codeTable->ops, [&](Operation *op) {
        return decode.ops.contains(op);
      }))
    return;

  // Best: decoded once per tile for all outer iterations.
  int64_t rows = plan.ranges[*plan.rowDim];
  bool perTile = !readsOuterDims && decodesOncePerTile(plan, budget);
  // Each decode allocates its buffer (a malloc per decode): a small panel
  // (a depthwise 3x3 convolution's is 9 vectors per tile) costs more to
  // allocate per row range than to decode in registers. An expensive decode
  // of a small weight is done once, for all tiles.
  if (bytes < kMinDecodeBufferBytes) {
    int64_t vectorExtent = plan.ranges[plan.vectorDim];
    if (decode.ops.size() < kMinOpsForSmallDecodeBuffer || readsOuterDims ||
        ShapedType::isDynamic(vectorExtent) ||
        llvm::divideCeil(vectorExtent, plan.tile()) * bytes >
            kMaxWholeDecodeBytes)
      return;
    decode.whole = true;
    plan.decodeBuffer = std::move(decode);
    return;
  }
  // Decoded per tile and row range: enough rows of the row dim (a dynamic
  // count is compared at run time).
  bool perRows =
      (ShapedType::isDynamic(rows) || rows >= plan.minRowsForDecodeBuffer()) &&
      bytes <= budget / 2;
  // Per tile wins even with few tiles, where two threads share only two
  // tile loops (a 64-channel 3x3 convolution, 1 and 2 threads: 1.00x and
  // 0.99x of fp32, against 0.96x and 0.95x per row range).
  if (perTile) {
    plan.tilesOutermost = true;
    decode.perTile = true;
    plan.decodeBuffer = std::move(decode);
    return;
  }
  if (perRows)
    plan.decodeBuffer = std::move(decode);
}

//===----------------------------------------------------------------------===//
// Cache blocking
//===----------------------------------------------------------------------===//

/// The bytes of one operand that a kernel plans to keep in the L2 cache of
/// its core while the others stream past: half the L2 (the other half holds
/// the streamed weight panels and the output), but not less than 1 MiB
/// where the L2 holds that much. The rule gives 1 MiB on the CPUs the
/// choices below were measured on (Zen 4: 1 MiB L2; Sapphire Rapids:
/// 2 MiB) and on the generic targets (1 MiB L2 assumed).
static int64_t residentBudget(const TargetCPU &target) {
  return std::max(target.l2Bytes / 2,
                  std::min<int64_t>(target.l2Bytes, int64_t{1} << 20));
}

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

/// True if the weight (the packed constant) does not stay in L2 (more than
/// `budget` bytes) and, with the outer dims outside the vector tiles,
/// re-reading it for every outer iteration would move more bytes than
/// re-reading the activation (the broadcast inputs) for every vector tile
/// in the other order. (A weight that fits is better read from L2 per outer
/// iteration: the activation rows then stay in L1 across the tiles.)
static bool weightTrafficDominates(const KernelPlan &plan, int64_t budget) {
  int64_t weight = packedWeightBytes(plan);
  int64_t outer = 1;
  for (unsigned dim : plan.outerDims) {
    if (ShapedType::isDynamic(plan.ranges[dim]))
      return false;
    outer *= plan.ranges[dim];
  }
  int64_t vectorExtent = plan.ranges[plan.vectorDim];
  if (weight <= budget || outer == 1 || ShapedType::isDynamic(vectorExtent))
    return false;
  int64_t tiles = llvm::divideCeil(vectorExtent, plan.tile());
  return weight * outer > activationBytes(plan) * tiles;
}

/// Rows per panel when the activation (the broadcast inputs that depend on
/// the row dim) does not stay in L2 across the vector tiles: as many rows
/// as fill `budget` bytes, a multiple of the register block; 0 if no panels
/// are needed.
static int64_t chooseRowPanel(const KernelPlan &plan, int64_t budget) {
  if (!plan.rowDim || ShapedType::isDynamic(plan.ranges[*plan.rowDim]) ||
      ShapedType::isDynamic(plan.ranges[plan.vectorDim]))
    return 0;
  int64_t activation = activationBytes(plan, plan.rowDim);
  int64_t rows = plan.ranges[*plan.rowDim];
  int64_t tiles = llvm::divideCeil(plan.ranges[plan.vectorDim], plan.tile());
  if (activation <= budget || tiles < 2 || rows < 2 * plan.rows)
    return 0;
  int64_t perRow = llvm::divideCeil(activation, rows);
  int64_t panel = std::max<int64_t>(budget / perRow / plan.rows, 1) * plan.rows;
  return panel >= rows ? 0 : panel;
}

/// Chooses the order of the vector-tile loop and the row panels.
static void planCacheBlocking(KernelPlan &plan, const TargetCPU &target) {
  int64_t budget = residentBudget(target);
  // Without reductions nothing is reused across vector tiles: one row block
  // per panel, so each block streams along its rows instead of striding a
  // whole row (a new page) per step of a column stripe.
  if (plan.reductionDims.empty() && plan.rowDim)
    plan.rowPanel = plan.rows;
  else if (!(plan.tilesOutermost = weightTrafficDominates(plan, budget)))
    plan.rowPanel = chooseRowPanel(plan, budget);
}

/// Plans the group factor of the root: its body must be
/// `acc + a * (kept * factor)` (operands in any order), the factor an input
/// (f32, or f16 widened by extf) read by neither the innermost reduction
/// dim nor the row dim.
static void planGroupFactor(KernelPlan &plan) {
  if (plan.dot || plan.decodeBuffer || plan.reductionDims.size() < 2 ||
      !plan.accType.isF32())
    return;
  Block *body = plan.root.getBlock();
  Value acc = body->getArguments().back();
  auto add = cast<linalg::YieldOp>(body->getTerminator())
                 .getValues()[0]
                 .getDefiningOp<arith::AddFOp>();
  if (!add || add->getNumOperands() != 2)
    return;
  Value summed = add.getLhs() == acc ? add.getRhs() : add.getLhs();
  auto outer = summed.getDefiningOp<arith::MulFOp>();
  if (!outer || !summed.hasOneUse() ||
      (add.getLhs() != acc && add.getRhs() != acc))
    return;
  unsigned innerDim = plan.reductionDims.back();
  // The factor: an input arg (or its extf from f16) not read along the
  // innermost reduction dim or the rows.
  auto factorInput = [&](Value v) -> std::optional<unsigned> {
    if (auto ext = v.getDefiningOp<arith::ExtFOp>();
        ext && ext.getIn().getType().isF16())
      v = ext.getIn();
    else if (!v.getType().isF32())
      return std::nullopt;
    auto arg = dyn_cast<BlockArgument>(v);
    if (!arg || arg.getOwner() != body ||
        arg.getArgNumber() >= plan.inputs.size())
      return std::nullopt;
    const KernelInput &in = plan.inputs[arg.getArgNumber()];
    if (!in.map || in.map.isFunctionOfDim(innerDim) || in.dependsOnRows ||
        in.nibbles)
      return std::nullopt;
    return arg.getArgNumber();
  };
  for (Value candidate : {outer.getLhs(), outer.getRhs()}) {
    auto product = candidate.getDefiningOp<arith::MulFOp>();
    if (!product || !candidate.hasOneUse())
      continue;
    for (auto [factor, kept] :
         {std::pair(product.getRhs(), product.getLhs()),
          std::pair(product.getLhs(), product.getRhs())}) {
      if (std::optional<unsigned> input = factorInput(factor)) {
        plan.groupFactor =
            KernelPlan::GroupFactor{*input, candidate, kept, innerDim};
        return;
      }
    }
  }
}

/// Plans where a dot kernel's 4-bit codes become bytes (DotPlan::decode),
/// by the rules of planDecodeBuffer: the tile's bytes must fit in half the
/// budget; once per tile (decodesOncePerTile), else per row range if a
/// range has enough rows (a dynamic count is compared at run time).
static void planDotDecode(KernelPlan &plan, int64_t budget) {
  if (!plan.dot || !plan.dot->nibbles || !plan.rowDim)
    return;
  const GroupedPanelLayout &layout = plan.dot->layout;
  int64_t tileBytes =
      layout.otherCount() * layout.groups() * plan.tile() * plan.dot->group();
  if (2 * tileBytes > budget)
    return;
  if (decodesOncePerTile(plan, budget)) {
    plan.tilesOutermost = true;
    plan.dot->decode = DotPlan::NibbleDecode::PerTile;
    return;
  }
  int64_t rows = plan.rowPanel ? plan.rowPanel : plan.ranges[*plan.rowDim];
  if (ShapedType::isDynamic(rows) || rows >= plan.minRowsForDecodeBuffer())
    plan.dot->decode = DotPlan::NibbleDecode::PerRowRange;
}

//===----------------------------------------------------------------------===//
// The plan
//===----------------------------------------------------------------------===//

FailureOr<KernelPlan> mlir::compress::kernels::planKernel(
    linalg::LinalgOp root, linalg::LinalgOp epilogue, const TargetCPU &target,
    const KernelOptions &options) {
  if (!root.hasPureTensorSemantics() || root.getNumDpsInits() != 1 ||
      root->getNumResults() != 1 || !hasVectorizableBody(root))
    return failure();
  KernelPlan plan;
  plan.root = root;
  if (failed(planLoops(plan, target)))
    return failure();
  plan.rootInit = root.getDpsInitOperand(0)->get();
  plan.dest = plan.rootInit;
  // The accumulators start from the scalar a fill writes (the fill is not
  // materialized).
  if (auto fill = plan.rootInit.getDefiningOp<linalg::FillOp>();
      fill && fill.getInputs()[0].getType().isIntOrFloat()) {
    plan.fillValue = fill.getInputs()[0];
    plan.dest = fill.getOutputs()[0];
  }
  if (epilogue && failed(planEpilogue(plan, epilogue)))
    return failure();
  // Which inputs need one load per row, and which gathered ones are
  // contiguous along the rows.
  auto markRows = [&](MutableArrayRef<KernelInput> inputs) {
    for (KernelInput &input : inputs) {
      input.dependsOnRows =
          input.map && plan.rowDim && input.map.isFunctionOfDim(*plan.rowDim);
      input.rowContiguous =
          input.access == Access::Gather && input.dependsOnRows &&
          isRowContiguous(input.map, *plan.rowDim, plan.vectorDim);
    }
  };
  markRows(plan.inputs);
  if (plan.epilogue)
    markRows(plan.epilogue->inputs);
  plan.dot = planPackedDot(plan, target, options);
  if (plan.dot && plan.dot->groupScale)
    limitGroupedRows(plan, target);
  if (!plan.dot) {
    for (KernelInput &input : plan.inputs) {
      permuteForPanels(plan, input);
      input.packed = shouldPackPanels(plan, input);
    }
    if (failed(planSubByteInputs(plan)))
      return failure();
  }
  planCacheBlocking(plan, target);
  planDecodeBuffer(plan, residentBudget(target));
  planDotDecode(plan, residentBudget(target));
  planGroupFactor(plan);
  return plan;
}
