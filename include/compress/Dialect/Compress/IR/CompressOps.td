//===- CompressOps.td - Compress op definitions ------------*- tablegen -*-===//
//
// Operations of the compress dialect that describe compression: simulated
// and real quantization, widening, calibration observers. The CPU-only ops
// that code generation creates are in CompressCodegenOps.td.
//
//===----------------------------------------------------------------------===//

#ifndef COMPRESS_DIALECT_COMPRESS_IR_COMPRESSOPS_TD
#define COMPRESS_DIALECT_COMPRESS_IR_COMPRESSOPS_TD

include "compress/Dialect/Compress/IR/CompressAttrs.td"
include "compress/Dialect/Compress/IR/CompressDialect.td"
include "mlir/IR/OpBase.td"
include "mlir/Interfaces/InferTypeOpInterface.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

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

def Compress_QuantizeOp : Compress_Op<"quantize",
    [Pure, AllShapesMatch<["input", "result"]>]> {
  let summary = "Quantize floating-point values to integer codes";
  let description = [{
    Maps every element of `input` to its integer code under `spec` (uniform
    scheme):

    ```
    q = clamp(roundeven(x / scale) + zero_point, qmin, qmax)
    ```

    The result is a signless integer tensor whose width is the spec's
    storage width; the spec says whether the codes are signed. NaN maps to
    the zero point. Used for activations whose ranges were calibrated
    (static quantization); weights are quantized at compile time.

    Example:

    ```mlir
    %q = compress.quantize %x : tensor<4x8xf32> -> tensor<4x8xi8>,
             #compress.quant<i8, scales = [0.05], zero_points = [-3]>
    ```
  }];
  let arguments = (ins
    RankedTensorOf<[AnyFloat]>:$input,
    Compress_QuantSpecAttr:$spec
  );
  let results = (outs RankedTensorOf<[AnySignlessInteger]>:$result);
  let assemblyFormat = [{
    $input `:` type($input) `->` type($result) `,` qualified($spec) attr-dict
  }];
  let hasVerifier = 1;
}

def Compress_DequantizeOp : Compress_Op<"dequantize",
    [Pure, AllShapesMatch<["input", "result"]>]> {
  let summary = "Map integer codes back to floating-point values";
  let description = [{
    Returns the real value of every code in `input` under `spec`:
    `(q - zero_point) * scale` for the uniform scheme and
    `sign(q) * scale * 2^-(|q| - 1)` (`0` for `q = 0`) for `log2`. Scales and
    zero points may be per tensor, per channel or per group.

    A dequantize of a constant is how a quantized weight appears in the IR:
    the constant holds the integer codes (code generation packs `i4`
    constants two per byte), and `compress-fuse-dequant` moves the dequantization
    into the kernel that consumes the weight, so no floating-point copy of
    the weight exists at run time.

    Example:

    ```mlir
    %w = compress.dequantize %q : tensor<64x32xi4> -> tensor<64x32xf32>,
             #compress.quant<i4, scales = [...], zero_points = [...], axis = 1>
    ```
  }];
  let arguments = (ins
    RankedTensorOf<[AnySignlessInteger]>:$input,
    Compress_QuantSpecAttr:$spec
  );
  let results = (outs RankedTensorOf<[AnyFloat]>:$result);
  let assemblyFormat = [{
    $input `:` type($input) `->` type($result) `,` qualified($spec) attr-dict
  }];
  let hasVerifier = 1;
}

def Compress_DynamicQuantizeOp : Compress_Op<"dynamic_quantize",
    [Pure, AllShapesMatch<["input", "result"]>]> {
  let summary = "Quantize with a per-tensor scale computed at run time";
  let description = [{
    Computes the range of `input` at run time, extended to include zero
    (`lo = min(0, min x)`, `hi = max(0, max x)`), derives a per-tensor scale
    and zero point for the result's integer width, and quantizes with them:

    ```
    symmetric:  scale = max(|lo|, |hi|) / qmax,   zero_point = 0
    asymmetric: scale = (hi - lo) / (qmax - qmin),
                zero_point = clamp(qmin - roundeven(lo / scale), qmin, qmax)
    q = clamp(roundeven(x / scale) + zero_point, qmin, qmax)
    ```

    An all-zero input uses scale 1. The scale and zero point are returned as
    0-d tensors for the consumer's requantization. Codes are signed.

    Example:

    ```mlir
    %q, %scale, %zp = compress.dynamic_quantize %x
        : tensor<?x64xf32> -> tensor<?x64xi8>, tensor<f32>, tensor<i32>
    ```
  }];
  let arguments = (ins
    RankedTensorOf<[F32]>:$input,
    UnitAttr:$symmetric
  );
  let results = (outs
    RankedTensorOf<[AnySignlessInteger]>:$result,
    0DTensorOf<[F32]>:$scale,
    0DTensorOf<[I32]>:$zero_point
  );
  let assemblyFormat = [{
    $input (`symmetric` $symmetric^)? `:` type($input) `->` type($result) `,`
        type($scale) `,` type($zero_point) attr-dict
  }];
  let hasVerifier = 1;
}

def Compress_WidenOp : Compress_Op<"widen",
    [Pure, AllShapesMatch<["input", "result"]>]> {
  let summary = "Widen a half-precision weight to the type its kernel uses";
  let description = [{
    Converts `input` (`f16` or `bf16`) to the wider float type of the result,
    exactly. This is how `compress-quantize float-type=...` stores weights:
    unlike `arith.extf`, the op is never constant-folded, so the weight stays
    in half precision in the compiled object, and `compress-fuse-dequant`
    moves the conversion into the consuming kernel.

    Example:

    ```mlir
    %w = compress.widen %c : tensor<64x32xbf16> -> tensor<64x32xf32>
    ```
  }];
  let arguments = (ins RankedTensorOf<[F16, BF16]>:$input);
  let results = (outs RankedTensorOf<[F32, F64]>:$result);
  let assemblyFormat = [{
    $input `:` type($input) `->` type($result) attr-dict
  }];
}

def Compress_ObserveOp : Compress_Op<"observe",
    [MemoryEffects<[MemWrite]>]> {
  let summary = "Record calibration statistics of a tensor";
  let description = [{
    Calibration instrumentation, inserted by `compress-instrument`: at run
    time, the values of `input` feed the streaming range statistics (min/max
    and a histogram) of the tensor named `key`, and the rows of the optional
    2-D `gram` operand (the input's im2col view: one row per output position,
    one column per reduction element) feed its second-moment matrix
    `X^T X`. `compress-run --calibration-out` collects the statistics into a
    calibration file. The op has no results and only the side effect of
    recording; the key names the op's input in calibration files
    (`<function>/<ordinal of the compressible op>`).

    Example:

    ```mlir
    compress.observe "predict/0" %x : tensor<?x64xf32> gram %x : tensor<?x64xf32>
    ```
  }];
  let arguments = (ins
    StrAttr:$key,
    RankedTensorOf<[F32]>:$input,
    Optional<2DTensorOf<[F32]>>:$gram
  );
  let assemblyFormat = [{
    $key $input `:` type($input) (`gram` $gram^ `:` type($gram))? attr-dict
  }];
  let hasVerifier = 1;
}

#endif // COMPRESS_DIALECT_COMPRESS_IR_COMPRESSOPS_TD
