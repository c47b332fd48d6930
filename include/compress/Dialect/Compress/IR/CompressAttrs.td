//===- CompressAttrs.td - Compress attribute definitions ---*- tablegen -*-===//
//
// Attributes of the compress dialect.
//
//===----------------------------------------------------------------------===//

#ifndef COMPRESS_DIALECT_COMPRESS_IR_COMPRESSATTRS_TD
#define COMPRESS_DIALECT_COMPRESS_IR_COMPRESSATTRS_TD

include "compress/Dialect/Compress/IR/CompressDialect.td"
include "mlir/IR/AttrTypeBase.td"
include "mlir/IR/BuiltinAttributeInterfaces.td"
include "mlir/IR/EnumAttr.td"

def Compress_QuantSchemeEnum : I32EnumAttr<"QuantScheme",
    "How integer codes map to real values", [
      I32EnumAttrCase<"Uniform", 0, "uniform">,
      I32EnumAttrCase<"Log2", 1, "log2">
    ]> {
  let cppNamespace = "::mlir::compress";
  let genSpecializedAttr = 0;
}

class Compress_Attr<string name, string attrMnemonic, list<Trait> traits = []>
    : AttrDef<Compress_Dialect, name, traits> {
  let mnemonic = attrMnemonic;
}

def Compress_QuantSpecAttr : Compress_Attr<"QuantSpec", "quant"> {
  let summary = "Quantization specification (uniform or power-of-two)";
  let description = [{
    Describes how real values map to integers of `storage_type`.

    **Uniform** (the default scheme, affine quantization):

    ```
    q    = clamp(roundeven(x / scale) + zero_point, qmin, qmax)
    x'   = (q - zero_point) * scale
    ```

    **log2** (`scheme = log2`, power-of-two quantization): a code is a sign
    and an exponent. Code `0` is zero; a code `c != 0` stands for
    `sign(c) * scale * 2^-(|c| - 1)`, so `|c| - 1` is the exponent below the
    scale, from `0` to `qmax - 1` (6 for 4 bits, 126 for 8 bits). The most
    negative code (`-8` for `i4`) is unused. Quantization rounds in the log
    domain: `e = roundeven(log2(scale / |x|))` clamped at `0`; values with
    `e > qmax - 1` become `0`. log2 specs have zero points `0` and a signed
    storage type.

    `storage_type` is an integer type of 2 to 16 bits; signless and signed
    types (`i8`, `si8`) store signed values in `[-2^(b-1), 2^(b-1) - 1]`,
    unsigned types (`ui8`) store `[0, 2^b - 1]`.

    **Granularity.** Without `axis` the spec is per-tensor and holds exactly
    one scale and one zero point. With `axis = a` it is per-axis
    (per-channel): element `i` of `scales` and `zero_points` applies to the
    slice at index `i` along dimension `a`. With `axis = a` and
    `group_size = g` it is per-group: the elements of each slice along `a`,
    taken in row-major order, form consecutive groups of `g` elements, each
    with its own parameters. Parameters are stored channel-major: group `j`
    of channel `i` uses index `i * (slice_size / g) + j`.

    Scales are positive finite numbers; zero points lie in `[qmin, qmax]`.

    Examples:

    ```mlir
    #compress.quant<i8, scales = [0.5], zero_points = [0]>
    #compress.quant<ui8, scales = [0.1, 0.2], zero_points = [128, 120], axis = 0>
    #compress.quant<i4, scales = [0.1, 0.2], zero_points = [0, 0], axis = 1,
                    group_size = 32>
    #compress.quant<i4, scales = [0.5], zero_points = [0], scheme = log2>
    ```
  }];
  let parameters = (ins
    "::mlir::IntegerType":$storage_type,
    "::mlir::DenseF64ArrayAttr":$scales,
    "::mlir::DenseI64ArrayAttr":$zero_points,
    OptionalParameter<"std::optional<int64_t>">:$axis,
    OptionalParameter<"std::optional<int64_t>">:$group_size,
    DefaultValuedParameter<"::mlir::compress::QuantScheme",
                           "::mlir::compress::QuantScheme::Uniform">:$scheme
  );
  let assemblyFormat = [{
    `<` $storage_type `,` `scales` `=` custom<FloatList>($scales) `,`
        `zero_points` `=` $zero_points
        `` custom<SpecOptions>($axis, $group_size, $scheme) `>`
  }];
  let genVerifyDecl = 1;
  let extraClassDeclaration = [{
    /// Number of bits of the storage type.
    unsigned getBitWidth() const { return getStorageType().getWidth(); }
    /// True when the storage type holds signed values (signless or signed).
    bool isSigned() const { return !getStorageType().isUnsigned(); }
    /// Smallest representable quantized value.
    int64_t getQMin() const;
    /// Largest representable quantized value.
    int64_t getQMax() const;
    /// True when the spec has one scale per slice along `axis`.
    bool isPerAxis() const { return getAxis().has_value(); }
    /// True when the spec has one scale per group within each channel.
    bool isPerGroup() const { return getGroupSize().has_value(); }
    /// True for power-of-two (sign + exponent) codes.
    bool isLog2() const { return getScheme() == QuantScheme::Log2; }

    /// Checks that the spec can describe a tensor of `shape`: the axis is in
    /// range and static, groups divide the slices, and the number of
    /// parameters matches.
    ::mlir::LogicalResult
    verifyForShape(::llvm::ArrayRef<int64_t> shape,
                   ::llvm::function_ref<::mlir::InFlightDiagnostic()>
                       emitError) const;
    /// Number of parameter sets (scales) a tensor of `shape` needs.
    int64_t getNumParamsFor(::llvm::ArrayRef<int64_t> shape) const;
    /// Index into `scales`/`zero_points` of the element at `indices` of a
    /// tensor of static `shape`.
    int64_t getParamIndex(::llvm::ArrayRef<int64_t> shape,
                          ::llvm::ArrayRef<int64_t> indices) const;
    /// True when every scale is exactly representable as a normal f16 value
    /// (the lowering then stores the scales in half precision).
    bool hasF16Scales() const;
    /// True when some zero point is not 0 (only then are they stored).
    bool hasNonZeroZeroPoints() const;
    /// True for uniform signed 8-bit codes with zero points 0, per tensor
    /// or per slice along `axis`: code times one scale per slice.
    bool isSymmetricInt8Along(int64_t axis) const;
    /// Bytes the lowering stores for the scales and zero points.
    int64_t getParamStorageBytes() const;
    /// Quantizes `x` with parameter set `param` (exact reference, in double).
    int64_t quantize(double x, int64_t param) const;
    /// Dequantizes code `q` with parameter set `param` (in double).
    double dequantize(int64_t q, int64_t param) const;
  }];
}

#endif // COMPRESS_DIALECT_COMPRESS_IR_COMPRESSATTRS_TD
