//===- CompressDialect.td - Compress dialect definition ----*- tablegen -*-===//
//
// The compress dialect holds what upstream MLIR lacks: the model-compression
// concepts (quantization specs, simulated and real quantization, calibration
// observers; compressed weights next) in CompressOps.td, and the few CPU-only
// ops code generation creates (fusion groups, VNNI dot products) in
// CompressCodegenOps.td.
//
//===----------------------------------------------------------------------===//

#ifndef COMPRESS_DIALECT_COMPRESS_IR_COMPRESSDIALECT_TD
#define COMPRESS_DIALECT_COMPRESS_IR_COMPRESSDIALECT_TD

include "mlir/IR/OpBase.td"

def Compress_Dialect : Dialect {
  let name = "compress";
  let cppNamespace = "::mlir::compress";
  let summary = "Model compression (quantization, calibration) and its CPU-only code generation ops";
  let description = [{
    The `compress` dialect carries the decisions of the model-compression
    passes as IR, so that every decision round-trips through text and can be
    checked with FileCheck. Computation stays in upstream dialects
    (`linalg`, `tensor`, `arith`, `math`, `vector`); the dialect adds only
    what they lack.

    The central attribute is `#compress.quant`, the one quantization
    specification used by every op of the dialect. Code generation adds a
    few ops of its own (`compress.fusion_group`, `compress.yield`,
    `compress.vnni_dot`), defined apart from the compression ops; they
    appear only in IR produced by the code-generation passes.
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

class Compress_Op<string mnemonic, list<Trait> traits = []>
    : Op<Compress_Dialect, mnemonic, traits>;

#endif // COMPRESS_DIALECT_COMPRESS_IR_COMPRESSDIALECT_TD
