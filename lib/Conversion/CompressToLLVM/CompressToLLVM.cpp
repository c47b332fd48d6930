//===- CompressToLLVM.cpp - Compress vector ops to LLVM intrinsics --------===//
//
// Implements convert-compress-to-llvm: compress.vnni_dot becomes a call of
// the vpdpbusd intrinsic of its width, compress.lookup one of the vpermps /
// vpermd intrinsics (AVX-512), or two of them and a blend (AVX2).
//
//===----------------------------------------------------------------------===//

#include "compress/Conversion/Passes.h"
#include "compress/Dialect/Compress/IR/CompressCodegenOps.h"
#include "compress/Dialect/Compress/IR/CompressOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::compress {
#define GEN_PASS_DEF_CONVERTCOMPRESSTOLLVMPASS
#include "compress/Conversion/Passes.h.inc"

namespace {

struct VNNIDotToIntrinsic : OpRewritePattern<VNNIDotOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(VNNIDotOp op,
                                PatternRewriter &rewriter) const override {
    int64_t bits = op.getAcc().getType().getNumElements() * 32;
    std::string name = "llvm.x86.avx512.vpdpbusd." + std::to_string(bits);
    auto call = LLVM::CallIntrinsicOp::create(
        rewriter, op.getLoc(), TypeRange{op.getType()},
        rewriter.getStringAttr(name),
        ValueRange{op.getAcc(), op.getLhs(), op.getRhs()},
        LLVM::FastmathFlagsAttr{});
    rewriter.replaceOp(op, call.getResults());
    return success();
  }
};

/// 16 lanes: one vpermps/vpermd (the instruction reads the low 4 bits of
/// each index). 8 lanes: the AVX2 permutes read 8 entries and the low 3
/// bits, so both halves of the table are permuted and bit 3 of the index
/// selects between them.
struct LookupToIntrinsic : OpRewritePattern<LookupOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(LookupOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    bool isFloat = isa<FloatType>(op.getType().getElementType());
    Value indices = op.getIndices();
    auto permute = [&](StringRef name, Value table) {
      return LLVM::CallIntrinsicOp::create(
                 rewriter, loc, TypeRange{op.getType()},
                 rewriter.getStringAttr(name), ValueRange{table, indices},
                 LLVM::FastmathFlagsAttr{})
          .getResult(0);
    };
    if (op.getType().getNumElements() == 16) {
      rewriter.replaceOp(op, permute(isFloat ? "llvm.x86.avx512.permvar.sf.512"
                                             : "llvm.x86.avx512.permvar.si.512",
                                     op.getTable()));
      return success();
    }
    StringRef name = isFloat ? "llvm.x86.avx2.permps" : "llvm.x86.avx2.permd";
    auto half = [&](int64_t offset) {
      return vector::ExtractStridedSliceOp::create(
          rewriter, loc, op.getTable(), ArrayRef<int64_t>{offset},
          ArrayRef<int64_t>{8}, ArrayRef<int64_t>{1});
    };
    Value low = permute(name, half(0));
    Value high = permute(name, half(8));
    auto indexType = cast<VectorType>(indices.getType());
    Value eight = arith::ConstantOp::create(
        rewriter, loc, DenseElementsAttr::get(indexType, int32_t{8}));
    Value zero = arith::ConstantOp::create(
        rewriter, loc, DenseElementsAttr::get(indexType, int32_t{0}));
    Value bit3 = arith::CmpIOp::create(
        rewriter, loc, arith::CmpIPredicate::ne,
        arith::AndIOp::create(rewriter, loc, indices, eight), zero);
    rewriter.replaceOpWithNewOp<arith::SelectOp>(op, bit3, high, low);
    return success();
  }
};

struct ConvertCompressToLLVMPass
    : impl::ConvertCompressToLLVMPassBase<ConvertCompressToLLVMPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<LookupToIntrinsic, VNNIDotToIntrinsic>(&getContext());
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
} // namespace mlir::compress
