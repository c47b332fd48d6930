//===- EmitCInterface.cpp - Mark functions for C wrappers -----------------===//
//
// Implements --compress-emit-c-interface: public function definitions get the
// `llvm.emit_c_interface` attribute and read-only tensor arguments.
//
//===----------------------------------------------------------------------===//

#include "compress/Codegen/Passes.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
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
    // The caller's memory is never written: bufferization copies before an
    // in-place update of an argument, and callers pass their arrays as they
    // are (no copy per call).
    auto readOnly = BoolAttr::get(&getContext(), false);
    for (BlockArgument argument : func.getArguments())
      if (isa<TensorType>(argument.getType()))
        func.setArgAttr(argument.getArgNumber(),
                        bufferization::BufferizationDialect::kWritableAttrName,
                        readOnly);
  }
};
} // namespace
} // namespace mlir::compress
