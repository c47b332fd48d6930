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

class Compress_Attr<string name, string attrMnemonic, list<Trait> traits = []>
    : AttrDef<Compress_Dialect, name, traits> {
  let mnemonic = attrMnemonic;
}

def Compress_QuantSpecAttr : Compress_Attr<"QuantSpec", "quant"> {
  let summary = "Affine (uniform) quantization specification";
  let description = [{
    Describes how real values map to integers of `storage_type`:

    ```
    q    = clamp(roundeven(x / scale) + zero_point, qmin, qmax)
    x'   = (q - zero_point) * scale
    ```

    `storage_type` is an integer type of 2 to 16 bits; signless and signed
    types (`i8`, `si8`) store signed values in `[-2^(b-1), 2^(b-1) - 1]`,
    unsigned types (`ui8`) store `[0, 2^b - 1]`.

    Without `axis` the spec is per-tensor and holds exactly one scale and one
    zero point. With `axis = a` it is per-axis (per-channel): element `i` of
    `scales` and `zero_points` applies to the slice at index `i` along
    dimension `a`.

    Scales are positive finite numbers; zero points lie in `[qmin, qmax]`.

    Examples:

    ```mlir
    #compress.quant<i8, scales = [0.5], zero_points = [0]>
    #compress.quant<ui8, scales = [0.1, 0.2], zero_points = [128, 120], axis = 0>
    ```
  }];
  let parameters = (ins
    "::mlir::IntegerType":$storage_type,
    "::mlir::DenseF64ArrayAttr":$scales,
    "::mlir::DenseI64ArrayAttr":$zero_points,
    OptionalParameter<"std::optional<int64_t>">:$axis
  );
  let assemblyFormat = [{
    `<` $storage_type `,` `scales` `=` custom<FloatList>($scales) `,`
        `zero_points` `=` $zero_points (`,` `axis` `=` $axis^)? `>`
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
  }];
}

#endif // COMPRESS_DIALECT_COMPRESS_IR_COMPRESSATTRS_TD
