//===- SetTargetCPU.cpp - Attach target CPU to LLVM functions -------------===//
//
// Implements --compress-set-target-cpu: every llvm.func definition gets the
// chosen CPU (and for the host, its feature list) so that ahead-of-time
// compilation uses the right vector extensions.
//
//===----------------------------------------------------------------------===//

#include "compress/Dialect/Compress/Transforms/Passes.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/MC/MCSubtargetInfo.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/TargetParser/Host.h"
#include "llvm/TargetParser/Triple.h"

#include <memory>

namespace mlir::compress {
#define GEN_PASS_DEF_COMPRESSSETTARGETCPUPASS
#include "compress/Dialect/Compress/Transforms/Passes.h.inc"

namespace {
struct CompressSetTargetCPUPass
    : impl::CompressSetTargetCPUPassBase<CompressSetTargetCPUPass> {
  using CompressSetTargetCPUPassBase::CompressSetTargetCPUPassBase;

  LogicalResult initialize(MLIRContext *context) override {
    if (cpu.empty())
      return emitError(UnknownLoc::get(context))
             << "compress-set-target-cpu: 'cpu' must not be empty";
    if (cpu == "native") {
      cpuName = llvm::sys::getHostCPUName().str();
      SmallVector<std::string> enabled;
      for (const auto &feature : llvm::sys::getHostCPUFeatures())
        if (feature.second)
          enabled.push_back("+" + feature.first().str());
      llvm::sort(enabled);
      features = llvm::join(enabled, ",");
      return success();
    }
    llvm::InitializeNativeTarget();
    llvm::Triple triple(llvm::sys::getDefaultTargetTriple());
    std::string error;
    const llvm::Target *target =
        llvm::TargetRegistry::lookupTarget(triple, error);
    if (!target)
      return emitError(UnknownLoc::get(context))
             << "compress-set-target-cpu: no target for " << triple.str()
             << ": " << error;
    std::unique_ptr<llvm::MCSubtargetInfo> info(
        target->createMCSubtargetInfo(triple, cpu, ""));
    if (!info || !info->isCPUStringValid(cpu))
      return emitError(UnknownLoc::get(context))
             << "compress-set-target-cpu: unknown CPU '" << cpu << "' for "
             << triple.str();
    cpuName = cpu;
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
