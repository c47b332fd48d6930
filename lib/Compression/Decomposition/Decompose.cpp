//===- Decompose.cpp - Low-rank factors of matmul weights -----------------===//
//
// Implements --compress-cp-decompose: plans, for every linalg.matmul with a
// constant f32 weight, a rank and its factors (LowRank.h), and replaces the
// matmul by two thin ones where the plan says the factors pay.
//
//===----------------------------------------------------------------------===//

#include "LowRank.h"
#include "compress/Compression/Calibration/CalibrationStore.h"
#include "compress/Compression/Compressible.h"
#include "compress/Compression/Passes.h"
#include "compress/Utils/IRUtils.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "llvm/ADT/SetVector.h"
#include "llvm/Support/FormatVariadic.h"

#include <cmath>

namespace mlir::compress {
#define GEN_PASS_DEF_COMPRESSCPDECOMPOSEPASS
#include "compress/Compression/Passes.h.inc"

namespace {

using namespace decomposition;

/// The largest fraction of the dense layer's FLOPs at which the two factor
/// matmuls still run faster than the dense one on our kernels: a thin
/// matmul (r columns, or a reduction of r) keeps less of the machine's
/// peak than a square one (docs/decomposition.md).
constexpr double kMaxFlopFraction = 0.8;

/// A matmul to factor and its plan.
struct Layer {
  linalg::MatmulOp op;
  std::string key;
  int64_t k = 0, n = 0, rank = 0;
  std::vector<float> weight;
  std::optional<std::vector<double>> gram;
};

struct CompressCpDecomposePass
    : impl::CompressCpDecomposePassBase<CompressCpDecomposePass> {
  using CompressCpDecomposePassBase::CompressCpDecomposePassBase;

  void runOnOperation() override;

private:
  std::optional<calibration::Store> store;

  LogicalResult validateOptions();
  /// Why `layer` at its rank stays dense, or nothing.
  std::optional<std::string> whyNot(const Layer &layer) const;
  void rewrite(Layer &layer, const LowRankSpectrum &spectrum);
};

LogicalResult CompressCpDecomposePass::validateOptions() {
  auto fail = [&](const Twine &message) {
    return getOperation().emitError() << "compress-cp-decompose: " << message;
  };
  bool hasRank = rank != -1, hasRatio = rankRatio != -1,
       hasTolerance = tolerance != -1;
  if (hasRank && rank < 1)
    return fail("rank must be at least 1, got " + Twine(rank));
  if (hasRatio && !(rankRatio > 0 && rankRatio <= 1))
    return fail("rank-ratio must be in (0, 1], got " + spellNumber(rankRatio));
  if (hasTolerance && !(tolerance >= 0 && std::isfinite(tolerance)))
    return fail("tolerance must be a finite number >= 0, got " +
                spellNumber(tolerance));
  int given = hasRank + hasRatio + hasTolerance;
  if (given == 0)
    return fail("give the rank: one of rank, rank-ratio or tolerance");
  if (given > 1)
    return fail("rank, rank-ratio and tolerance choose the rank three ways; "
                "give one of them");
  if (!(damp > 0 && damp <= 1))
    return fail("damp must be in (0, 1], got " + spellNumber(damp));
  return success();
}

std::optional<std::string>
CompressCpDecomposePass::whyNot(const Layer &layer) const {
  int64_t maxRank = std::min(layer.k, layer.n);
  if (!onlyFaster)
    return std::nullopt;
  if (layer.rank >= maxRank)
    return "rank " + std::to_string(layer.rank) +
           " is not below min(K, N) = " + std::to_string(maxRank);
  double fraction = static_cast<double>(layer.rank * (layer.k + layer.n)) /
                    static_cast<double>(layer.k * layer.n);
  if (fraction >= 1)
    return llvm::formatv("rank {0} keeps {1:F2} of the FLOPs: no reduction",
                         layer.rank, fraction)
        .str();
  if (fraction > kMaxFlopFraction)
    return llvm::formatv("rank {0} keeps {1:F2} of the FLOPs, above {2} where "
                         "the factors run faster than the dense layer",
                         layer.rank, fraction, kMaxFlopFraction)
        .str();
  return std::nullopt;
}

void CompressCpDecomposePass::rewrite(Layer &layer,
                                      const LowRankSpectrum &spectrum) {
  int64_t k = layer.k, n = layer.n, r = layer.rank;
  LowRankSpectrum::Factors factors = spectrum.factors(r);
  double weightError = relativeWeightError(layer.weight, k, n, factors, r);
  std::optional<double> outputError;
  if (layer.gram)
    outputError =
        relativeOutputError(layer.weight, k, n, factors, r, *layer.gram);

  linalg::MatmulOp op = layer.op;
  OpBuilder b(op);
  Location loc = op.getLoc();
  Value x = op.getInputs()[0];
  Value init = op.getOutputs()[0];
  Type f32 = b.getF32Type();
  Value a = arith::ConstantOp::create(
      b, loc,
      DenseElementsAttr::get(RankedTensorType::get({k, r}, f32),
                             ArrayRef<float>(factors.a)));
  Value bFactor = arith::ConstantOp::create(
      b, loc,
      DenseElementsAttr::get(RankedTensorType::get({r, n}, f32),
                             ArrayRef<float>(factors.b)));
  SmallVector<OpFoldResult> sizes{tensor::getMixedSize(b, loc, x, 0),
                                  b.getIndexAttr(r)};
  Value empty = tensor::EmptyOp::create(b, loc, sizes, f32);
  Value zero = arith::ConstantOp::create(b, loc, b.getF32FloatAttr(0));
  Value filled =
      linalg::FillOp::create(b, loc, ValueRange{zero}, ValueRange{empty})
          .getResult(0);
  auto first = linalg::MatmulOp::create(b, loc, TypeRange{filled.getType()},
                                        ValueRange{x, a}, ValueRange{filled});
  auto second = linalg::MatmulOp::create(
      b, loc, TypeRange{init.getType()},
      ValueRange{first.getResult(0), bFactor}, ValueRange{init});

  MLIRContext *context = op->getContext();
  auto record = [&](linalg::MatmulOp factorOp, int64_t factor) {
    SmallVector<NamedAttribute> entries{
        NamedAttribute(StringAttr::get(context, "method"),
                       StringAttr::get(context, "svd")),
        NamedAttribute(StringAttr::get(context, "rank"),
                       IntegerAttr::get(IntegerType::get(context, 64), r)),
        NamedAttribute(StringAttr::get(context, "factor"),
                       IntegerAttr::get(IntegerType::get(context, 64), factor)),
        NamedAttribute(StringAttr::get(context, "weight_error"),
                       FloatAttr::get(Float64Type::get(context), weightError)),
        NamedAttribute(StringAttr::get(context, "original_params"),
                       IntegerAttr::get(IntegerType::get(context, 64), k * n))};
    if (outputError)
      entries.push_back(NamedAttribute(
          StringAttr::get(context, "output_error"),
          FloatAttr::get(Float64Type::get(context), *outputError)));
    factorOp->setAttr("compress.decomposed",
                      DictionaryAttr::get(context, entries));
  };
  record(first, 1);
  record(second, 2);
  op->getResult(0).replaceAllUsesWith(second.getResult(0));
  op->erase();
}

void CompressCpDecomposePass::runOnOperation() {
  if (failed(validateOptions()))
    return signalPassFailure();
  if (!calibration.empty()) {
    llvm::Expected<calibration::Store> loaded =
        calibration::Store::read(calibration);
    if (!loaded) {
      getOperation().emitError()
          << "compress-cp-decompose: " << llvm::toString(loaded.takeError());
      return signalPassFailure();
    }
    store = std::move(*loaded);
  }

  // Plan every layer (and read every Gram matrix) before anything changes:
  // the calibration keys are the ops' positions in the input.
  std::vector<Layer> layers;
  bool failedRead = false;
  forEachCompressibleOp(getOperation(), [&](linalg::LinalgOp op,
                                            StringRef key) {
    auto matmul = dyn_cast<linalg::MatmulOp>(op.getOperation());
    if (!matmul || failedRead)
      return;
    if (!matmul.hasPureTensorSemantics() ||
        matmul.getIndexingMapsArray() !=
            matmul.getDefaultIndexingMaps(matmul.getContext()))
      return;
    Value w = matmul.getInputs()[1];
    auto wType = cast<RankedTensorType>(w.getType());
    if (!wType.hasStaticShape() ||
        !getElementTypeOrSelf(matmul.getInputs()[0].getType()).isF32() ||
        !getElementTypeOrSelf(matmul.getOutputs()[0].getType()).isF32())
      return;
    std::optional<std::vector<float>> values = readF32Constant(w);
    if (!values || values->empty()) {
      matmul->setAttr("compress.decomposition_skipped",
                      StringAttr::get(matmul->getContext(),
                                      "the weight is not an f32 constant"));
      return;
    }
    Layer layer{matmul, key.str(), wType.getDimSize(0), wType.getDimSize(1)};
    layer.weight = std::move(*values);
    if (store) {
      FailureOr<std::vector<double>> gram =
          readLayerGram(*store, op, key, layer.k, "compress-cp-decompose");
      if (failed(gram)) {
        failedRead = true;
        return;
      }
      layer.gram = std::move(*gram);
    }
    layers.push_back(std::move(layer));
  });
  if (failedRead)
    return signalPassFailure();

  SetVector<Operation *> replaced;
  for (Layer &layer : layers) {
    int64_t maxRank = std::min(layer.k, layer.n);
    // The spectrum is needed for a tolerance, and for the factors; a rank
    // that stays dense whatever the values is decided without it.
    if (rank != -1)
      layer.rank = std::min<int64_t>(rank, maxRank);
    else if (rankRatio != -1)
      layer.rank = std::clamp<int64_t>(
          std::llround(rankRatio * static_cast<double>(maxRank)), 1, maxRank);
    std::optional<LowRankSpectrum> spectrum;
    auto computeSpectrum = [&] {
      spectrum = LowRankSpectrum::compute(
          layer.weight, layer.k, layer.n,
          layer.gram ? std::optional<ArrayRef<double>>(*layer.gram)
                     : std::nullopt,
          damp);
    };
    if (tolerance != -1) {
      computeSpectrum();
      layer.rank = spectrum->rankFor(tolerance);
    }
    if (std::optional<std::string> reason = whyNot(layer)) {
      layer.op->setAttr("compress.decomposition_skipped",
                        StringAttr::get(layer.op->getContext(), *reason));
      continue;
    }
    if (!spectrum)
      computeSpectrum();
    Operation *weight = layer.op.getInputs()[1].getDefiningOp();
    rewrite(layer, *spectrum);
    if (weight)
      replaced.insert(weight);
  }
  eraseReplacedWeights(replaced.getArrayRef());
}

} // namespace
} // namespace mlir::compress
