//===- Sparsify.cpp - Matmuls on the nonzeros of sparse weights -----------===//
//
// Implements --compress-sparsify: a linalg.matmul with a constant weight
// that is mostly zeros becomes transpose -> compress.sparse_matmul ->
// transpose (Kernels/SparseColumns.h holds the storage, Kernels/
// SparseMatmul.cpp the kernel).
//
//===----------------------------------------------------------------------===//

#include "Kernels/SparseColumns.h"
#include "compress/Codegen/Passes.h"
#include "compress/Dialect/Compress/IR/CompressCodegenOps.h"
#include "compress/Utils/EnumOptionParser.h"
#include "compress/Utils/IRUtils.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Matchers.h"

namespace mlir::compress {
#define GEN_PASS_DEF_COMPRESSSPARSIFYPASS
#include "compress/Codegen/Passes.h.inc"

namespace {

/// Nonzeros of each column come in groups of this many (the kernel's
/// unrolling: independent FMA chains).
constexpr int64_t kGroup = 4;

/// A batch-1 dense layer whose weight has at least this many bytes streams
/// it from memory (it does not stay in the caches between calls).
constexpr int64_t kStreamedWeightBytes = int64_t(48) << 20;

/// The fraction of zeros from which the sparse product of an activation
/// of `rows` rows by a weight of `weightBytes` beats the dense kernel,
/// measured on AMD Zen 4 with 1 and 2 threads (docs/pruning.md):
///  - 16 rows or more: the dense kernel is compute-bound and the sparse one
///    does the same FMAs on fewer weights: 0.7 (1.2-1.5x from 256^2 to
///    2048^2; 0.6 is 0.9-1.1x);
///  - one row and a weight streamed from memory (4096 x 4096: 64 MB): 0.7
///    (1.1-1.5x; 0.65 is 0.9-1.2x): the dense GEMV is bound by the bytes,
///    the sparse one reads 6 bytes per nonzero;
///  - otherwise (a weight that stays in the caches, 2-15 rows whose dense
///    kernel does more per weight load, or a dynamic number of rows): 0.9
///    (at 0.8, 1024^2 at batch 1 0.65-0.7x, 2048^2 0.8-0.96x, 1024^2 at
///    batch 8 0.86-1.2x; at 0.9, 1.2-2.3x).
static double crossover(int64_t rows, int64_t weightBytes) {
  if (!ShapedType::isDynamic(rows) && rows >= 16)
    return 0.7;
  if (rows == 1 && weightBytes >= kStreamedWeightBytes)
    return 0.7;
  return 0.9;
}

/// Columns of a block (one zmm of f32).
constexpr int64_t kBlockWidth = 16;

/// The fraction of zero 1 x 16 blocks from which the block kernel beats
/// the dense one, measured on AMD Zen 4 (1 and 2 threads; 1024^2 and
/// 4096^2 at batch 1, 1024^2 at batch 8 and 64; docs/pruning.md): 0.89-0.94x
/// at 0.5 with 8 or 64 rows (1.2-3.5x with one row), 1.7-5.9x at 0.7.
constexpr double kBlockCrossover = 0.6;

/// Whether `init` is a fill with +0.0.
static bool isZeroFill(Value init) {
  auto fill = init.getDefiningOp<linalg::FillOp>();
  return fill && matchPattern(fill.getInputs()[0], m_PosZeroFloat());
}

/// `value` (2-D) transposed.
static Value transpose(OpBuilder &b, Location loc, Value value) {
  auto type = cast<RankedTensorType>(value.getType());
  SmallVector<OpFoldResult> sizes{tensor::getMixedSize(b, loc, value, 1),
                                  tensor::getMixedSize(b, loc, value, 0)};
  Value empty = tensor::EmptyOp::create(b, loc, sizes, type.getElementType());
  return linalg::TransposeOp::create(b, loc, value, empty,
                                     ArrayRef<int64_t>{1, 0})
      .getResult()[0];
}

struct CompressSparsifyPass
    : impl::CompressSparsifyPassBase<CompressSparsifyPass> {
  using CompressSparsifyPassBase::CompressSparsifyPassBase;

  void runOnOperation() override {
    if (!(minBlockSparsity == -1 ||
          (minBlockSparsity >= 0 && minBlockSparsity <= 1))) {
      getOperation().emitError() << "compress-sparsify: min-block-sparsity "
                                    "must be in [0, 1] (or -1: the measured "
                                    "crossover), got "
                                 << spellNumber(minBlockSparsity);
      return signalPassFailure();
    }
    if (!(minSparsity == -1 || (minSparsity >= 0 && minSparsity <= 1))) {
      getOperation().emitError()
          << "compress-sparsify: min-sparsity must be in [0, 1] (or -1: "
             "the measured crossover), got "
          << spellNumber(minSparsity);
      return signalPassFailure();
    }
    SmallVector<linalg::MatmulOp> matmuls;
    getOperation().walk([&](linalg::MatmulOp op) { matmuls.push_back(op); });
    for (linalg::MatmulOp op : matmuls)
      sparsify(op);
  }

  void sparsify(linalg::MatmulOp op) {
    if (!op.hasPureTensorSemantics() ||
        op.getIndexingMapsArray() != op.getDefaultIndexingMaps(op.getContext()))
      return;
    Value x = op.getInputs()[0];
    Value w = op.getInputs()[1];
    Value init = op.getOutputs()[0];
    auto wType = cast<RankedTensorType>(w.getType());
    auto outType = cast<RankedTensorType>(init.getType());
    if (!wType.hasStaticShape() || !outType.getElementType().isF32() ||
        !getElementTypeOrSelf(x.getType()).isF32())
      return;
    std::optional<std::vector<float>> values = readF32Constant(w);
    int64_t m = cast<RankedTensorType>(x.getType()).getDimSize(0);
    double threshold = minSparsity < 0
                           ? crossover(m, wType.getNumElements() * 4)
                           : minSparsity;
    if (!values || values->empty())
      return;
    int64_t k = wType.getDimSize(0), n = wType.getDimSize(1);
    // Whole zero blocks of one row and 16 columns (block pruning) run on
    // the block kernel.
    if (n % kBlockWidth == 0) {
      double blockThreshold =
          minBlockSparsity < 0 ? kBlockCrossover : minBlockSparsity;
      if (kernels::zeroBlockFraction(*values, k, n, kBlockWidth) >=
          blockThreshold - 1e-6)
        return sparsifyBlocks(op, *values, k, n);
    }
    // A weight pruned to exactly the threshold may count one zero less
    // than the product rounds to.
    if (kernels::zeroFraction(*values) < threshold - 1e-6)
      return;
    kernels::SparseColumns columns =
        kernels::packSparseColumns(*values, k, n, kGroup);

    OpBuilder b(op);
    Location loc = op.getLoc();
    auto nonzeros = static_cast<int64_t>(columns.values.size());
    Value offsets = arith::ConstantOp::create(
        b, loc,
        DenseElementsAttr::get(RankedTensorType::get({n + 1}, b.getI32Type()),
                               ArrayRef<int32_t>(columns.offsets)));
    Value rows = rowIndices(b, loc, columns.rows, k);
    Value nonzeroValues = arith::ConstantOp::create(
        b, loc,
        DenseElementsAttr::get(
            RankedTensorType::get({nonzeros}, b.getF32Type()),
            ArrayRef<float>(columns.values)));
    Value xt = transpose(b, loc, x);
    auto xtType = cast<RankedTensorType>(xt.getType());
    auto ytType =
        RankedTensorType::get({n, xtType.getDimSize(1)}, b.getF32Type());
    Value yt =
        SparseMatmulOp::create(b, loc, ytType, xt, offsets, rows, nonzeroValues,
                               b.getI64IntegerAttr(kGroup));
    Value y = transpose(b, loc, yt);
    replace(b, op, y);
  }

  /// Replaces `op` by `y` plus the matmul's init unless that is a zero fill.
  static void replace(OpBuilder &b, linalg::MatmulOp op, Value y) {
    Value init = op.getOutputs()[0];
    Location loc = op.getLoc();
    if (!isZeroFill(init)) {
      // Accumulate into the matmul's init, as the matmul did.
      AffineMap id = AffineMap::getMultiDimIdentityMap(2, op.getContext());
      SmallVector<utils::IteratorType> parallel(2,
                                                utils::IteratorType::parallel);
      y = linalg::GenericOp::create(
              b, loc, TypeRange{init.getType()}, ValueRange{init, y},
              ValueRange{init}, SmallVector<AffineMap>(3, id), parallel,
              [](OpBuilder &nested, Location nestedLoc, ValueRange args) {
                Value sum =
                    arith::AddFOp::create(nested, nestedLoc, args[0], args[1]);
                linalg::YieldOp::create(nested, nestedLoc, sum);
              })
              .getResult(0);
    }
    op.getResult(0).replaceAllUsesWith(y);
    op.erase();
  }

  /// The block kernel on the activation as it is (vectors along the
  /// output columns).
  void sparsifyBlocks(linalg::MatmulOp op, ArrayRef<float> values, int64_t k,
                      int64_t n) {
    kernels::SparseBlocks blocks =
        kernels::packSparseBlocks(values, k, n, kBlockWidth, kGroup);
    OpBuilder b(op);
    Location loc = op.getLoc();
    auto count = static_cast<int64_t>(blocks.rows.size());
    Value offsets = arith::ConstantOp::create(
        b, loc,
        DenseElementsAttr::get(
            RankedTensorType::get({n / kBlockWidth + 1}, b.getI32Type()),
            ArrayRef<int32_t>(blocks.offsets)));
    Value rows = rowIndices(b, loc, blocks.rows, k);
    Value blockValues = arith::ConstantOp::create(
        b, loc,
        DenseElementsAttr::get(
            RankedTensorType::get({count, kBlockWidth}, b.getF32Type()),
            ArrayRef<float>(blocks.values)));
    Value x = op.getInputs()[0];
    auto outType = cast<RankedTensorType>(op.getOutputs()[0].getType());
    Value y =
        BlockSparseMatmulOp::create(b, loc, outType, x, offsets, rows,
                                    blockValues, b.getI64IntegerAttr(kGroup));
    replace(b, op, y);
  }

  /// Row indices as i16 constants when every row fits, else i32.
  static Value rowIndices(OpBuilder &b, Location loc,
                          const std::vector<int32_t> &rows, int64_t k) {
    auto count = static_cast<int64_t>(rows.size());
    if (k <= 32768) {
      SmallVector<int16_t> narrow(rows.begin(), rows.end());
      return arith::ConstantOp::create(
          b, loc,
          DenseElementsAttr::get(RankedTensorType::get({count}, b.getI16Type()),
                                 ArrayRef<int16_t>(narrow)));
    }
    return arith::ConstantOp::create(
        b, loc,
        DenseElementsAttr::get(RankedTensorType::get({count}, b.getI32Type()),
                               ArrayRef<int32_t>(rows)));
  }
};

} // namespace
} // namespace mlir::compress
