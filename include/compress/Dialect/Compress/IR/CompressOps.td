//===- CompressOps.td - Compress op definitions ------------*- tablegen -*-===//
//
// Operations of the compress dialect.
//
//===----------------------------------------------------------------------===//

#ifndef COMPRESS_DIALECT_COMPRESS_IR_COMPRESSOPS_TD
#define COMPRESS_DIALECT_COMPRESS_IR_COMPRESSOPS_TD

include "compress/Dialect/Compress/IR/CompressAttrs.td"
include "compress/Dialect/Compress/IR/CompressDialect.td"
include "mlir/IR/OpBase.td"
include "mlir/Interfaces/InferTypeOpInterface.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

class Compress_Op<string mnemonic, list<Trait> traits = []>
    : Op<Compress_Dialect, mnemonic, traits>;

def Compress_FakeQuantOp : Compress_Op<"fake_quant",
    [Pure, SameOperandsAndResultType]> {
  let summary = "Simulated quantization: quantize, then dequantize";
  let description = [{
    Rounds every element of `input` to the nearest value representable by the
    quantization spec and returns it in the input's floating-point type:

    ```
    q = clamp(roundeven(x / scale) + zero_point, qmin, qmax)
    y = (q - zero_point) * scale
    ```

    Half-way cases round to even. NaN propagates. `f16` and `bf16` inputs are
    computed in `f32` and rounded back; `f32` and `f64` inputs are computed in
    their own type.

    A per-axis spec needs a static size along `axis` equal to the number of
    scales.

    The op folds away when applied twice with the same spec (it is
    idempotent) and folds to a constant when its input is a constant.

    Example:

    ```mlir
    %y = compress.fake_quant %x : tensor<4x2xf32>,
             #compress.quant<i8, scales = [0.5, 0.25], zero_points = [0, 0],
                             axis = 1>
    ```
  }];
  let arguments = (ins
    RankedTensorOf<[AnyFloat]>:$input,
    Compress_QuantSpecAttr:$spec
  );
  let results = (outs RankedTensorOf<[AnyFloat]>:$result);
  let assemblyFormat = "$input `:` type($input) `,` qualified($spec) attr-dict";
  let hasVerifier = 1;
  let hasFolder = 1;
}

#endif // COMPRESS_DIALECT_COMPRESS_IR_COMPRESSOPS_TD
