//===- Dialects.h - C API for the compress dialect ----------------*- C -*-===//
//
// C entry points for embedding compress: dialect handle and registration of
// passes and pipelines.
//
//===----------------------------------------------------------------------===//

#ifndef COMPRESS_C_DIALECTS_H
#define COMPRESS_C_DIALECTS_H

#include "mlir-c/IR.h"

#ifdef __cplusplus
extern "C" {
#endif

MLIR_DECLARE_CAPI_DIALECT_REGISTRATION(Compress, compress);

/// Registers every compress pass and pipeline (compress-to-llvm included)
/// with the global pass registry.
MLIR_CAPI_EXPORTED void mlirCompressRegisterAllPasses(void);

#ifdef __cplusplus
}
#endif

#endif // COMPRESS_C_DIALECTS_H
