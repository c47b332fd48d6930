//===- Report.cpp - JSON report of compressible ops -----------------------===//
//
// Implements --compress-report: lists contractions and convolutions with
// their constant weights (size, bits, sparsity, quantization), what
// pruning did to them, the kernel the code generator will run them with
// (dense or sparse, SparsePlan.h) and FLOPs.
//
//===----------------------------------------------------------------------===//

#include "compress/Codegen/SparsePlan.h"
#include "compress/Compression/Compressible.h"
#include "compress/Compression/Passes.h"
#include "compress/Dialect/Compress/IR/CompressOps.h"
#include "compress/Utils/IRUtils.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/IR/LinalgInterfaces.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/Support/FileUtilities.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Support/raw_ostream.h"

#include <optional>

namespace mlir::compress {
#define GEN_PASS_DEF_COMPRESSREPORTPASS
#include "compress/Compression/Passes.h.inc"

namespace {

/// A constant weight found behind an op operand.
struct Weight {
  ShapedType type;
  /// Number of exact zeros, when the data is available.
  std::optional<int64_t> zeros;
  /// The spec of a compress.fake_quant or compress.dequantize between the
  /// constant and the op.
  QuantSpecAttr spec;
  /// Bits per element of the weight the op computes with (before any
  /// compression: the float type the op sees).
  unsigned originalBits = 32;
  /// Bytes of the stored form: codes plus scales and zero points.
  int64_t bytes = 0;
};

/// Counts exact zeros of a float or integer elements attribute.
static std::optional<int64_t> countZeros(ElementsAttr attr) {
  if (auto dense = dyn_cast<DenseElementsAttr>(attr)) {
    if (dense.isSplat()) {
      bool zero = isa<FloatType>(dense.getElementType())
                      ? dense.getSplatValue<APFloat>().isZero()
                      : dense.getSplatValue<APInt>().isZero();
      return zero ? dense.getNumElements() : 0;
    }
    int64_t zeros = 0;
    if (isa<FloatType>(dense.getElementType())) {
      for (const APFloat &v : dense.getValues<APFloat>())
        zeros += v.isZero();
    } else {
      for (const APInt &v : dense.getValues<APInt>())
        zeros += v.isZero();
    }
    return zeros;
  }
  if (auto resource = dyn_cast<DenseResourceElementsAttr>(attr)) {
    AsmResourceBlob *blob = resource.getRawHandle().getBlob();
    Type elementType = resource.getType().getElementType();
    if (!blob || !elementType.isIntOrFloat())
      return std::nullopt;
    unsigned width = elementType.getIntOrFloatBitWidth();
    if (width % 8 != 0)
      return std::nullopt;
    ArrayRef<char> data = blob->getData();
    size_t bytes = width / 8;
    if (data.size() != bytes * resource.getNumElements())
      return std::nullopt;
    int64_t zeros = 0;
    for (size_t i = 0; i < data.size(); i += bytes) {
      bool isZero = true;
      for (size_t b = 0; b < bytes && isZero; ++b) {
        // Negative zero (only the sign bit set) is a zero too.
        char byte = data[i + b];
        bool signByte = b + 1 == bytes && isa<FloatType>(elementType);
        isZero = signByte ? (byte & 0x7f) == 0 : byte == 0;
      }
      zeros += isZero;
    }
    return zeros;
  }
  return std::nullopt;
}

/// Returns the constant weight behind `value`, looking through
/// compress.fake_quant (simulated: stored in float), compress.dequantize
/// (integer codes) and compress.widen or arith.extf (fp16/bf16 storage).
static std::optional<Weight> findWeight(Value value) {
  Weight weight;
  auto valueType = dyn_cast<ShapedType>(value.getType());
  if (!valueType || !valueType.getElementType().isIntOrFloat())
    return std::nullopt;
  weight.originalBits = valueType.getElementType().getIntOrFloatBitWidth();
  bool stored = false;
  if (auto fakeQuant = value.getDefiningOp<FakeQuantOp>()) {
    weight.spec = fakeQuant.getSpec();
    value = fakeQuant.getInput();
  } else if (auto dequantize = value.getDefiningOp<DequantizeOp>()) {
    weight.spec = dequantize.getSpec();
    value = dequantize.getInput();
    stored = true;
  } else if (auto widen = value.getDefiningOp<WidenOp>()) {
    value = widen.getInput();
  } else if (auto extf = value.getDefiningOp<arith::ExtFOp>()) {
    value = extf.getIn();
  }
  auto constant = value.getDefiningOp<arith::ConstantOp>();
  if (!constant)
    return std::nullopt;
  auto elements = dyn_cast<ElementsAttr>(constant.getValue());
  if (!elements)
    return std::nullopt;
  weight.type = cast<ShapedType>(elements.getType());
  weight.zeros = countZeros(elements);
  int64_t params = weight.type.getNumElements();
  unsigned bits = weight.spec
                      ? weight.spec.getBitWidth()
                      : weight.type.getElementType().getIntOrFloatBitWidth();
  weight.bytes = (params * bits + 7) / 8;
  if (stored)
    weight.bytes += weight.spec.getParamStorageBytes();
  return weight;
}

/// A compress.pruned or compress.decomposed dictionary as a JSON object.
static llvm::json::Object toJson(DictionaryAttr dict) {
  llvm::json::Object object;
  for (NamedAttribute entry : dict) {
    StringRef name = entry.getName().getValue();
    if (auto text = dyn_cast<StringAttr>(entry.getValue()))
      object[name] = llvm::json::fixUTF8(text.getValue());
    else if (auto integer = dyn_cast<IntegerAttr>(entry.getValue()))
      object[name] = integer.getInt();
    else if (auto real = dyn_cast<FloatAttr>(entry.getValue()))
      object[name] = real.getValueAsDouble();
    else if (auto list = dyn_cast<DenseI64ArrayAttr>(entry.getValue()))
      object[name] = llvm::json::Array(list.asArrayRef());
  }
  return object;
}

/// A weight as compress-sparsify reads it: a constant f32 one (4 bytes a
/// value), or a weight-only int8 one (symmetric, per channel along `axis`
/// or per tensor) as its codes (1 byte a value). Nothing for any other or
/// an empty weight.
namespace {
struct SparsifiedWeight {
  std::vector<float> values;
  int64_t valueBytes = 4;
};
} // namespace
static std::optional<SparsifiedWeight> readSparsifiedWeight(Value w,
                                                            int64_t axis) {
  SparsifiedWeight weight;
  if (auto dequantize = w.getDefiningOp<DequantizeOp>()) {
    std::optional<std::vector<char>> codes =
        readConstantBytes(dequantize.getInput());
    if (!dequantize.getSpec().isSymmetricInt8Along(axis) || !codes)
      return std::nullopt;
    weight.values.assign(codes->begin(), codes->end());
    weight.valueBytes = 1;
  } else if (std::optional<std::vector<float>> values = readF32Constant(w)) {
    weight.values = std::move(*values);
  }
  if (weight.values.empty())
    return std::nullopt;
  return weight;
}

/// What compress-sparsify will do with `op`: a linalg.matmul or
/// batch_matmul in its default layout with f32 operands, or a convolution
/// compress.sparse_conv runs, with a constant f32 or weight-only int8
/// weight.
static std::optional<sparse::SparsePlan> planKernel(linalg::LinalgOp op) {
  if (std::optional<sparse::ConvShape> conv =
          sparse::matchSparseConv(op.getOperation())) {
    std::optional<SparsifiedWeight> weight = readSparsifiedWeight(
        op.getDpsInputOperand(1)->get(), sparse::filterAxis(conv->layout));
    if (!weight)
      return std::nullopt;
    return sparse::planSparseConv(*conv, weight->values, -1, nullptr,
                                  weight->valueBytes);
  }
  // A batch_matmul with a constant B x K x N weight: the column kernel on
  // its block-diagonal form.
  if (auto batch = dyn_cast<linalg::BatchMatmulOp>(op.getOperation())) {
    if (!batch.hasPureTensorSemantics() ||
        batch.getIndexingMapsArray() !=
            batch.getDefaultIndexingMaps(batch.getContext()))
      return std::nullopt;
    auto xType = cast<ShapedType>(batch.getInputs()[0].getType());
    Value w = batch.getInputs()[1];
    auto wType = dyn_cast<RankedTensorType>(w.getType());
    if (!wType || !wType.hasStaticShape() || !xType.getElementType().isF32() ||
        xType.isDynamicDim(0) || xType.isDynamicDim(2) ||
        !getElementTypeOrSelf(batch.getOutputs()[0].getType()).isF32())
      return std::nullopt;
    std::optional<SparsifiedWeight> weight =
        readSparsifiedWeight(w, /*axis=*/2);
    if (!weight)
      return std::nullopt;
    int64_t rows = xType.getDimSize(1);
    std::optional<int64_t> rowCount =
        ShapedType::isDynamic(rows) ? std::nullopt : std::optional(rows);
    return sparse::planSparseMatmul(
        weight->values, rowCount, wType.getDimSize(1), wType.getDimSize(2), -1,
        -1, weight->valueBytes, /*useNM=*/false, wType.getDimSize(0));
  }
  auto matmul = dyn_cast<linalg::MatmulOp>(op.getOperation());
  if (!matmul || !matmul.hasPureTensorSemantics() ||
      matmul.getIndexingMapsArray() !=
          matmul.getDefaultIndexingMaps(matmul.getContext()))
    return std::nullopt;
  Value x = matmul.getInputs()[0], w = matmul.getInputs()[1];
  auto wType = dyn_cast<RankedTensorType>(w.getType());
  if (!wType || !wType.hasStaticShape() ||
      !getElementTypeOrSelf(x.getType()).isF32() ||
      !getElementTypeOrSelf(matmul.getOutputs()[0].getType()).isF32())
    return std::nullopt;
  std::optional<SparsifiedWeight> weight = readSparsifiedWeight(w, /*axis=*/1);
  if (!weight)
    return std::nullopt;
  int64_t rows = cast<ShapedType>(x.getType()).getDimSize(0);
  // As compress-sparsify: the n:m op needs static reduction and columns.
  bool useNM =
      !cast<ShapedType>(x.getType()).isDynamicDim(1) &&
      !cast<ShapedType>(matmul.getOutputs()[0].getType()).isDynamicDim(1);
  std::optional<int64_t> rowCount =
      ShapedType::isDynamic(rows) ? std::nullopt : std::optional(rows);
  return sparse::planSparseMatmul(weight->values, rowCount, wType.getDimSize(0),
                                  wType.getDimSize(1), -1, -1,
                                  weight->valueBytes, useNM);
}

static std::string locationString(Location loc) {
  std::string text;
  llvm::raw_string_ostream os(text);
  if (auto fileLoc = dyn_cast<FileLineColLoc>(loc))
    os << fileLoc.getFilename().getValue() << ":" << fileLoc.getLine() << ":"
       << fileLoc.getColumn();
  else if (auto nameLoc = dyn_cast<NameLoc>(loc))
    os << nameLoc.getName().getValue(); // e.g. an ONNX node's name
  else
    loc.print(os);
  // A file name is any byte string; JSON strings are UTF-8 (llvm::json
  // asserts on anything else).
  return llvm::json::fixUTF8(text);
}

struct CompressReportPass : impl::CompressReportPassBase<CompressReportPass> {
  using CompressReportPassBase::CompressReportPassBase;

  void runOnOperation() override {
    llvm::json::Array ops, skipped;
    int64_t totalParams = 0, totalBytes = 0, totalOriginalBytes = 0,
            totalFlops = 0, totalZeros = 0;
    bool anyDynamic = false;
    // The ops' keys (their names in calibration files and in the passes'
    // ops= option).
    llvm::DenseMap<Operation *, std::string> keys;
    forEachCompressibleOp(getOperation(),
                          [&](linalg::LinalgOp op, StringRef key) {
                            keys[op.getOperation()] = key.str();
                          });

    getOperation().walk([&](linalg::LinalgOp op) {
      // Integer kernels made by compress-quantize count as contractions
      // (a per-group one scales its products, so its body is no plain
      // multiply-accumulate).
      bool isConvolution = linalg::isaConvolutionOpInterface(op);
      bool isContraction =
          linalg::isaContractionOpInterface(op) ||
          (!isConvolution && op->hasAttr("compress.weight_quant"));
      std::string name = op->getName().getStringRef().str();
      // Pooling ops share the convolution structure but have no weights.
      if ((!isContraction && !isConvolution) ||
          StringRef(name).starts_with("linalg.pooling_"))
        return;
      std::string loc = locationString(op.getLoc());
      // The weight is the constant input; a contraction or convolution with
      // two non-constant inputs (e.g. attention) has none.
      std::optional<Weight> weight;
      for (OpOperand *input : op.getDpsInputOperands())
        if ((weight = findWeight(input->get())))
          break;
      // An integer kernel made by compress-quantize: the weight was f32 and
      // its scales are stored in the epilogue.
      if (auto spec = op->getAttrOfType<QuantSpecAttr>("compress.weight_quant");
          spec && weight && !weight->spec) {
        weight->spec = spec;
        weight->originalBits = 32;
        // f32 scales, or f16 ones in a per-group kernel's third input.
        int64_t scaleBytes = 4;
        if (op.getNumDpsInputs() == 3)
          scaleBytes =
              getElementTypeOrSelf(op.getDpsInputs()[2].getType()).isF16() ? 2
                                                                           : 4;
        weight->bytes += spec.getScales().size() * scaleBytes;
      }
      if (!weight) {
        skipped.push_back(
            llvm::json::Object{{"op", name},
                               {"loc", loc},
                               {"reason", "no constant weight operand"}});
        return;
      }

      int64_t macs = 1;
      bool dynamic = false;
      for (int64_t range : op.getStaticLoopRanges()) {
        if (ShapedType::isDynamic(range)) {
          dynamic = true;
          continue;
        }
        macs *= range;
      }
      int64_t params = weight->type.getNumElements();
      unsigned bits =
          weight->spec ? weight->spec.getBitWidth()
                       : weight->type.getElementType().getIntOrFloatBitWidth();
      int64_t bytes = weight->bytes;
      int64_t originalBytes = (params * weight->originalBits + 7) / 8;

      llvm::json::Array shape;
      for (int64_t d : weight->type.getShape())
        shape.push_back(d);
      llvm::json::Object entry{
          {"op", name},
          {"loc", loc},
          {"kind", isConvolution ? "convolution" : "contraction"},
          {"weight_shape", std::move(shape)},
          {"weight_type",
           [&] {
             std::string s;
             llvm::raw_string_ostream os(s);
             os << weight->type.getElementType();
             return s;
           }()},
          {"params", params},
          {"bits", static_cast<int64_t>(bits)},
          {"bytes", bytes},
          {"original_bytes", originalBytes},
          {"flops", 2 * macs},
          {"dynamic", dynamic},
      };
      // The key of a compressible op (integer kernels made by
      // compress-quantize have none).
      if (auto key = keys.find(op.getOperation()); key != keys.end())
        entry["key"] = key->second;
      if (weight->zeros) {
        entry["zeros"] = *weight->zeros;
        entry["sparsity"] =
            params ? static_cast<double>(*weight->zeros) / params : 0.0;
        totalZeros += *weight->zeros;
      }
      if (weight->spec) {
        std::string s;
        llvm::raw_string_ostream os(s);
        os << weight->spec;
        entry["quant"] = s;
      }
      if (auto pruned = op->getAttrOfType<DictionaryAttr>("compress.pruned"))
        entry["pruned"] = toJson(pruned);
      // A factor of compress-cp-decompose, or a layer it left alone.
      if (auto factor =
              op->getAttrOfType<DictionaryAttr>("compress.decomposed"))
        entry["decomposition"] = toJson(factor);
      if (auto reason =
              op->getAttrOfType<StringAttr>("compress.decomposition_skipped"))
        entry["decomposition"] = llvm::json::Object{
            {"skipped", llvm::json::fixUTF8(reason.getValue())}};
      if (std::optional<sparse::SparsePlan> plan = planKernel(op)) {
        entry["kernel"] = sparse::spellFormat(plan->format);
        entry["kernel_reason"] = plan->reason;
        entry["dense_bytes"] = bytes;
        if (plan->format != sparse::SparseFormat::Dense)
          bytes = plan->bytes;
        entry["bytes"] = bytes;
      } else {
        entry["kernel"] = "dense";
        // Why not: a convolution's unsupported stride, shape or type, or
        // an op compress-sparsify does not run.
        std::string reason;
        if (weight->zeros && *weight->zeros > 0 && !weight->spec &&
            !sparse::matchSparseConv(op, &reason) && !reason.empty())
          entry["kernel_reason"] = reason;
      }
      ops.push_back(std::move(entry));
      totalParams += params;
      totalBytes += bytes;
      totalOriginalBytes += originalBytes;
      totalFlops += 2 * macs;
      anyDynamic |= dynamic;
    });

    llvm::json::Object total{
        {"ops", static_cast<int64_t>(ops.size())},
        {"params", totalParams},
        {"bytes", totalBytes},
        {"original_bytes", totalOriginalBytes},
        {"ratio", totalOriginalBytes
                      ? static_cast<double>(totalBytes) / totalOriginalBytes
                      : 1.0},
        {"zeros", totalZeros},
        {"flops", totalFlops},
        {"dynamic", anyDynamic},
    };
    llvm::json::Value document = llvm::json::Object{
        {"ops", std::move(ops)},
        {"total", std::move(total)},
        {"skipped", std::move(skipped)},
    };

    if (report == "-") {
      llvm::errs() << llvm::formatv("{0:2}", document) << "\n";
      return markAllAnalysesPreserved();
    }
    std::string error;
    auto file = openOutputFile(report, &error);
    if (!file) {
      emitError(getOperation().getLoc())
          << "compress-report: cannot write '" << report << "': " << error;
      return signalPassFailure();
    }
    file->os() << llvm::formatv("{0:2}", document) << "\n";
    file->keep();
    markAllAnalysesPreserved();
  }
};

} // namespace
} // namespace mlir::compress
