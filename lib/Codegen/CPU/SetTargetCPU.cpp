//===- SetTargetCPU.cpp - Attach target CPU to LLVM functions -------------===//
//
// Implements --compress-set-target-cpu: every llvm.func definition gets the
// chosen CPU (and for the host, its feature list) so that ahead-of-time
// compilation uses the right vector extensions.
//
//===----------------------------------------------------------------------===//

#include "compress/Codegen/Passes.h"
#include "compress/Codegen/Target.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"

namespace mlir::compress {
#define GEN_PASS_DEF_COMPRESSSETTARGETCPUPASS
#include "compress/Codegen/Passes.h.inc"

namespace {
struct CompressSetTargetCPUPass
    : impl::CompressSetTargetCPUPassBase<CompressSetTargetCPUPass> {
  using CompressSetTargetCPUPassBase::CompressSetTargetCPUPassBase;

  LogicalResult initialize(MLIRContext *context) override {
    std::string error;
    FailureOr<TargetCPU> target = resolveTargetCPU(cpu, error);
    if (failed(target))
      return emitError(UnknownLoc::get(context))
             << "compress-set-target-cpu: " << error;
    cpuName = target->name;
    features = target->features;
    return success();
  }

  void runOnOperation() override {
    MLIRContext *context = &getContext();
    StringAttr cpuAttr = StringAttr::get(context, cpuName);
    LLVM::TargetFeaturesAttr featuresAttr;
    if (!features.empty())
      featuresAttr = LLVM::TargetFeaturesAttr::get(context, features);
    getOperation().walk([&](LLVM::LLVMFuncOp func) {
      if (func.isExternal())
        return;
      func.setTargetCpuAttr(cpuAttr);
      if (featuresAttr)
        func.setTargetFeaturesAttr(featuresAttr);
    });
  }

private:
  std::string cpuName;
  std::string features;
};
} // namespace
} // namespace mlir::compress
