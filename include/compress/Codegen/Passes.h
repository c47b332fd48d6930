//===- Passes.h - CPU code generation passes --------------------*- C++ -*-===//
//
// Declares the CPU code generation passes (see Passes.td).
//
//===----------------------------------------------------------------------===//

#ifndef COMPRESS_CODEGEN_PASSES_H
#define COMPRESS_CODEGEN_PASSES_H

#include "compress/Dialect/Compress/IR/CompressDialect.h"
#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Dialect/X86Vector/X86VectorDialect.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"

namespace mlir::compress {

/// Unit attribute on the scf.for of a kernel (emitted by
/// compress-tile-and-vectorize) whose iterations are independent and write
/// disjoint parts of the result; compress-parallelize makes it parallel.
constexpr llvm::StringLiteral kParallelLoopAttr = "compress.parallel";

#define GEN_PASS_DECL
#include "compress/Codegen/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "compress/Codegen/Passes.h.inc"

} // namespace mlir::compress

#endif // COMPRESS_CODEGEN_PASSES_H
