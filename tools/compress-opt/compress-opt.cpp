//===- compress-opt.cpp - The compress optimizer driver -------------------===//
//
// An mlir-opt style driver with all upstream dialects, passes and extensions
// plus the compress dialect, passes and pipelines.
//
//===----------------------------------------------------------------------===//

#include "compress/InitAll.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/InitAllPasses.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"

int main(int argc, char **argv) {
  mlir::registerAllPasses();
  mlir::compress::registerAllPasses();

  mlir::DialectRegistry registry;
  mlir::registerAllDialects(registry);
  mlir::registerAllExtensions(registry);
  mlir::compress::registerAllDialects(registry);

  return mlir::asMainReturnCode(
      mlir::MlirOptMain(argc, argv, "compress optimizer driver\n", registry));
}
