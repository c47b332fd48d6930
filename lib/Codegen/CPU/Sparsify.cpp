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
    if (!(minSparsity == -1 || (minSparsity >= 0 && minSparsity <= 1))) {
      getOperation().emitError()
          << "compress-sparsify: min-sparsity must be in [0, 1] (or -1: "
             "the measured crossover), got "
          << minSparsity;
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
    // A weight pruned to exactly the threshold may count one zero less
    // than the product rounds to.
    if (!values || values->empty() ||
        kernels::zeroFraction(*values) < threshold - 1e-6)
      return;
    int64_t k = wType.getDimSize(0), n = wType.getDimSize(1);
    kernels::SparseColumns columns =
        kernels::packSparseColumns(*values, k, n, kGroup);

    OpBuilder b(op);
    Location loc = op.getLoc();
    MLIRContext *context = op.getContext();
    auto nonzeros = static_cast<int64_t>(columns.values.size());
    Value offsets = arith::ConstantOp::create(
        b, loc,
        DenseElementsAttr::get(RankedTensorType::get({n + 1}, b.getI32Type()),
                               ArrayRef<int32_t>(columns.offsets)));
    Value rows;
    if (k <= 32768) {
      SmallVector<int16_t> narrow(columns.rows.begin(), columns.rows.end());
      rows = arith::ConstantOp::create(
          b, loc,
          DenseElementsAttr::get(
              RankedTensorType::get({nonzeros}, b.getI16Type()),
              ArrayRef<int16_t>(narrow)));
    } else {
      rows = arith::ConstantOp::create(
          b, loc,
          DenseElementsAttr::get(
              RankedTensorType::get({nonzeros}, b.getI32Type()),
              ArrayRef<int32_t>(columns.rows)));
    }
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
    if (!isZeroFill(init)) {
      // Accumulate into the matmul's init, as the matmul did.
      AffineMap id = AffineMap::getMultiDimIdentityMap(2, context);
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
};

} // namespace
} // namespace mlir::compress
