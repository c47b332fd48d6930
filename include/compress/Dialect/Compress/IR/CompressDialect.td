//===- CompressDialect.td - Compress dialect definition ----*- tablegen -*-===//
//
// The compress dialect holds the model-compression concepts that upstream MLIR
// lacks: quantization specs, simulated quantization and (later) compressed
// weights and fusion groups.
//
//===----------------------------------------------------------------------===//

#ifndef COMPRESS_DIALECT_COMPRESS_IR_COMPRESSDIALECT_TD
#define COMPRESS_DIALECT_COMPRESS_IR_COMPRESSDIALECT_TD

include "mlir/IR/OpBase.td"

def Compress_Dialect : Dialect {
  let name = "compress";
  let cppNamespace = "::mlir::compress";
  let summary = "Model-compression concepts: quantization, pruning, decomposition";
  let description = [{
    The `compress` dialect carries the decisions of the model-compression
    passes as IR, so that every decision round-trips through text and can be
    checked with FileCheck. It reuses upstream dialects (`linalg`, `tensor`,
    `arith`, `quant`, `sparse_tensor`) wherever they fit and adds only what
    they lack.

    The central attribute is `#compress.quant`, the one quantization
    specification used by every op of the dialect.
  }];
  let useDefaultAttributePrinterParser = 1;
  let hasConstantMaterializer = 1;
  let dependentDialects = ["::mlir::arith::ArithDialect"];
  let extraClassDeclaration = [{
  private:
    /// Registers the attributes; defined next to their storage classes.
    void registerAttributes();
  public:
  }];
}

#endif // COMPRESS_DIALECT_COMPRESS_IR_COMPRESSDIALECT_TD
