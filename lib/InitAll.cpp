//===- InitAll.cpp - Register everything compress provides ----------------===//

#include "compress/InitAll.h"
#include "compress/Codegen/Passes.h"
#include "compress/Compression/Passes.h"
#include "compress/Conversion/Passes.h"
#include "compress/Dialect/Compress/IR/CompressDialect.h"
#include "compress/Pipelines/Pipelines.h"
#include "mlir/IR/DialectRegistry.h"

void mlir::compress::registerAllDialects(DialectRegistry &registry) {
  registry.insert<CompressDialect>();
}

void mlir::compress::registerAllPasses() {
  registerCompressCompressionPasses();
  registerCompressCodegenPasses();
  registerCompressConversionPasses();
  registerCompressPipelines();
}
