//===- Dialects.cpp - C API for the compress dialect ----------------------===//

#include "compress-c/Dialects.h"
#include "compress/Dialect/Compress/IR/CompressDialect.h"
#include "compress/InitAll.h"
#include "mlir/CAPI/Registration.h"

MLIR_DEFINE_CAPI_DIALECT_REGISTRATION(Compress, compress,
                                      mlir::compress::CompressDialect)

void mlirCompressRegisterAllPasses(void) {
  mlir::compress::registerAllPasses();
}
