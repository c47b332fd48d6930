//===- EmitCInterface.cpp - Mark functions for C wrappers -----------------===//
//
// Implements --compress-emit-c-interface: public function definitions get the
// `llvm.emit_c_interface` attribute.
//
//===----------------------------------------------------------------------===//

#include "compress/Codegen/Passes.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"

namespace mlir::compress {
#define GEN_PASS_DEF_COMPRESSEMITCINTERFACEPASS
#include "compress/Codegen/Passes.h.inc"

namespace {
struct CompressEmitCInterfacePass
    : impl::CompressEmitCInterfacePassBase<CompressEmitCInterfacePass> {
  using CompressEmitCInterfacePassBase::CompressEmitCInterfacePassBase;

  void runOnOperation() override {
    func::FuncOp func = getOperation();
    if (func.isExternal() || !func.isPublic())
      return markAllAnalysesPreserved();
    func->setAttr(LLVM::LLVMDialect::getEmitCWrapperAttrName(),
                  UnitAttr::get(&getContext()));
  }
};
} // namespace
} // namespace mlir::compress
