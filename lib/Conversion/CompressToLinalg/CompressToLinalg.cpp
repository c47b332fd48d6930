//===- CompressToLinalg.cpp - Lower compress ops to linalg ----------------===//
//
// Rewrites compress-dialect ops into linalg.generic ops on tensors with arith
// and math bodies.
//
//===----------------------------------------------------------------------===//

#include "compress/Conversion/CompressToLinalg/CompressToLinalg.h"
#include "compress/Conversion/Passes.h"
#include "compress/Dialect/Compress/IR/CompressDialect.h"
#include "compress/Dialect/Compress/IR/CompressOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Transforms/DialectConversion.h"

namespace mlir::compress {
#define GEN_PASS_DEF_CONVERTCOMPRESSTOLINALGPASS
#include "compress/Conversion/Passes.h.inc"
} // namespace mlir::compress

using namespace mlir;
using namespace mlir::compress;

//===----------------------------------------------------------------------===//
// Patterns
//===----------------------------------------------------------------------===//

namespace {

/// Lowers compress.fake_quant to an elementwise linalg.generic computing
/// (clamp(roundeven(x / s) + zp, qmin, qmax) - zp) * s.
struct FakeQuantLowering : OpConversionPattern<FakeQuantOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(FakeQuantOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value input = adaptor.getInput();
    auto type = cast<RankedTensorType>(input.getType());
    auto elementType = cast<FloatType>(type.getElementType());
    FloatType computeType = elementType.isF64()
                                ? cast<FloatType>(rewriter.getF64Type())
                                : cast<FloatType>(rewriter.getF32Type());
    QuantSpecAttr spec = op.getSpec();
    int64_t rank = type.getRank();

    SmallVector<OpFoldResult> sizes =
        tensor::getMixedSizes(rewriter, loc, input);
    Value init = tensor::EmptyOp::create(rewriter, loc, sizes, elementType);

    AffineMap identity = rewriter.getMultiDimIdentityMap(rank);
    SmallVector<Value> inputs = {input};
    SmallVector<AffineMap> maps = {identity};

    auto floatConstant = [&](double value) -> Value {
      return arith::ConstantOp::create(
          rewriter, loc, rewriter.getFloatAttr(computeType, value));
    };
    Value qmin = floatConstant(static_cast<double>(spec.getQMin()));
    Value qmax = floatConstant(static_cast<double>(spec.getQMax()));
    Value scale, zeroPoint;
    if (spec.isPerAxis()) {
      int64_t channels = spec.getScales().size();
      auto vectorType = RankedTensorType::get({channels}, computeType);
      SmallVector<Attribute> scales, zeroPoints;
      for (double s : spec.getScales().asArrayRef())
        scales.push_back(rewriter.getFloatAttr(computeType, s));
      for (int64_t zp : spec.getZeroPoints().asArrayRef())
        zeroPoints.push_back(
            rewriter.getFloatAttr(computeType, static_cast<double>(zp)));
      inputs.push_back(arith::ConstantOp::create(
          rewriter, loc, DenseElementsAttr::get(vectorType, scales)));
      inputs.push_back(arith::ConstantOp::create(
          rewriter, loc, DenseElementsAttr::get(vectorType, zeroPoints)));
      AffineMap channelMap =
          AffineMap::get(rank, 0, rewriter.getAffineDimExpr(*spec.getAxis()));
      maps.push_back(channelMap);
      maps.push_back(channelMap);
    } else {
      scale = floatConstant(spec.getScales()[0]);
      zeroPoint = floatConstant(static_cast<double>(spec.getZeroPoints()[0]));
    }
    maps.push_back(identity);
    SmallVector<utils::IteratorType> iterators(rank,
                                               utils::IteratorType::parallel);

    auto generic = linalg::GenericOp::create(
        rewriter, loc, TypeRange{type}, inputs, ValueRange{init}, maps,
        iterators, [&](OpBuilder &b, Location nested, ValueRange args) {
          Value x = args[0];
          Value s = scale ? scale : args[1];
          Value zp = zeroPoint ? zeroPoint : args[2];
          if (elementType != computeType)
            x = arith::ExtFOp::create(b, nested, computeType, x);
          Value v = arith::DivFOp::create(b, nested, x, s);
          v = math::RoundEvenOp::create(b, nested, v);
          v = arith::AddFOp::create(b, nested, v, zp);
          v = arith::MaximumFOp::create(b, nested, v, qmin);
          v = arith::MinimumFOp::create(b, nested, v, qmax);
          v = arith::SubFOp::create(b, nested, v, zp);
          v = arith::MulFOp::create(b, nested, v, s);
          if (elementType != computeType)
            v = arith::TruncFOp::create(b, nested, elementType, v);
          linalg::YieldOp::create(b, nested, v);
        });
    rewriter.replaceOp(op, generic.getResults());
    return success();
  }
};

} // namespace

void mlir::compress::populateCompressToLinalgConversionPatterns(
    RewritePatternSet &patterns) {
  patterns.add<FakeQuantLowering>(patterns.getContext());
}

//===----------------------------------------------------------------------===//
// Pass
//===----------------------------------------------------------------------===//

namespace {
struct ConvertCompressToLinalgPass
    : compress::impl::ConvertCompressToLinalgPassBase<
          ConvertCompressToLinalgPass> {
  using ConvertCompressToLinalgPassBase::ConvertCompressToLinalgPassBase;

  void runOnOperation() override {
    MLIRContext *context = &getContext();
    ConversionTarget target(*context);
    target.addIllegalDialect<CompressDialect>();
    target.addLegalDialect<arith::ArithDialect, linalg::LinalgDialect,
                           math::MathDialect, tensor::TensorDialect>();
    target.markUnknownOpDynamicallyLegal([](Operation *) { return true; });
    target.addIllegalDialect<CompressDialect>();
    RewritePatternSet patterns(context);
    populateCompressToLinalgConversionPatterns(patterns);
    if (failed(applyPartialConversion(getOperation(), target,
                                      std::move(patterns))))
      signalPassFailure();
  }
};
} // namespace
