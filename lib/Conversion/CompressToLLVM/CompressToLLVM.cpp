//===- CompressToLLVM.cpp - Compress vector ops to LLVM intrinsics --------===//
//
// Implements convert-compress-to-llvm: compress.vnni_dot becomes a call of
// the vpdpbusd intrinsic of its width.
//
//===----------------------------------------------------------------------===//

#include "compress/Conversion/Passes.h"
#include "compress/Dialect/Compress/IR/CompressCodegenOps.h"
#include "compress/Dialect/Compress/IR/CompressOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
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

struct ConvertCompressToLLVMPass
    : impl::ConvertCompressToLLVMPassBase<ConvertCompressToLLVMPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<VNNIDotToIntrinsic>(&getContext());
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
} // namespace mlir::compress
