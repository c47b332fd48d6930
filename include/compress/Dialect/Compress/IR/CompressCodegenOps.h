//===- CompressCodegenOps.h - CPU code generation ops -----------*- C++ -*-===//
//
// The compress dialect's ops that only code generation creates (see
// CompressCodegenOps.td).
//
//===----------------------------------------------------------------------===//

#ifndef COMPRESS_DIALECT_COMPRESS_IR_COMPRESSCODEGENOPS_H
#define COMPRESS_DIALECT_COMPRESS_IR_COMPRESSCODEGENOPS_H

#include "compress/Dialect/Compress/IR/CompressDialect.h"
#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/Interfaces/ControlFlowInterfaces.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#define GET_OP_CLASSES
#include "compress/Dialect/Compress/IR/CompressCodegenOps.h.inc"

#endif // COMPRESS_DIALECT_COMPRESS_IR_COMPRESSCODEGENOPS_H
