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
#include "llvm/TargetParser/Host.h"
#include "llvm/TargetParser/X86TargetParser.h"

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
    if (llvm::X86::parseArchX86(cpu, /*Only64Bit=*/true) == llvm::X86::CK_None)
      return emitError(UnknownLoc::get(context))
             << "compress-set-target-cpu: unknown x86-64 CPU '" << cpu
             << "' (use 'native' or a name such as 'znver4', 'skylake-avx512' "
                "or 'x86-64-v3')";
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
