//===- Decompose.cpp - Low-rank factors of matmul weights -----------------===//
//
// Implements --compress-cp-decompose: plans, for every linalg.matmul
// (method=svd) or 2-D convolution (method=tucker2) with a constant f32
// weight, its ranks and factors (LowRank.h, Tucker2.h), and replaces the
// layer by its factor layers (ConvFactors.h for convolutions) where the
// plan says the factors pay.
//
//===----------------------------------------------------------------------===//

#include "ConvFactors.h"
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

/// The largest fraction of a convolution's FLOPs at which its Tucker-2
/// factors still run faster than the dense convolution on our kernels
/// (docs/decomposition.md).
constexpr double kMaxConvFlopFraction = 0.8;

/// A convolution to factor and its plan.
struct ConvPlan {
  ConvLayer layer;
  std::vector<float> kernel; // F x C x kh x kw
  int64_t inRank = 0, outRank = 0;
};

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
  /// Why `plan` at its ranks stays dense, or nothing.
  std::optional<std::string> whyNot(const ConvPlan &plan) const;
  /// Chooses the ranks of `plan`, and factors it where they pay.
  void decomposeConv(ConvPlan &plan, SetVector<Operation *> &replaced);
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
  if (maxIterations < 0)
    return fail("max-iterations must be >= 0, got " + Twine(maxIterations));
  if (method == DecomposeMethod::Tucker2 && !calibration.empty())
    return fail("calibration is not supported with method=tucker2 yet (the "
                "factors minimize the kernel error)");
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

std::optional<std::string>
CompressCpDecomposePass::whyNot(const ConvPlan &plan) const {
  const KernelShape &k = plan.layer.kernel;
  if (!onlyFaster)
    return std::nullopt;
  if (plan.inRank >= k.channels && plan.outRank >= k.filters)
    return llvm::formatv("ranks ({0}, {1}) are not below (C, F) = ({2}, {3})",
                         plan.inRank, plan.outRank, k.channels, k.filters)
        .str();
  double fraction =
      static_cast<double>(plan.layer.tucker2Flops(plan.inRank, plan.outRank)) /
      static_cast<double>(plan.layer.denseFlops());
  if (fraction >= 1)
    return llvm::formatv("ranks ({0}, {1}) keep {2:F2} of the FLOPs: no "
                         "reduction",
                         plan.inRank, plan.outRank, fraction)
        .str();
  if (fraction > kMaxConvFlopFraction)
    return llvm::formatv("ranks ({0}, {1}) keep {2:F2} of the FLOPs, above "
                         "{3} where the factors run faster than the dense "
                         "convolution",
                         plan.inRank, plan.outRank, fraction,
                         kMaxConvFlopFraction)
        .str();
  return std::nullopt;
}

void CompressCpDecomposePass::decomposeConv(ConvPlan &plan,
                                            SetVector<Operation *> &replaced) {
  ConvLayer &layer = plan.layer;
  const KernelShape &k = layer.kernel;
  auto ranksFor = [](int64_t size, double ratio) {
    return std::clamp<int64_t>(std::llround(ratio * static_cast<double>(size)),
                               1, size);
  };
  std::optional<Tucker2Decomposition> decomposition;
  if (rank != -1) {
    plan.inRank = std::min<int64_t>(rank, k.channels);
    plan.outRank = std::min<int64_t>(rank, k.filters);
  } else if (rankRatio != -1) {
    plan.inRank = ranksFor(k.channels, rankRatio);
    plan.outRank = ranksFor(k.filters, rankRatio);
  } else {
    // The cheapest rank pair whose HOSVD error bound is within the
    // tolerance (the refined factors only do better).
    decomposition = Tucker2Decomposition::compute(plan.kernel, k);
    plan.inRank = k.channels;
    plan.outRank = k.filters;
    int64_t best = layer.tucker2Flops(plan.inRank, plan.outRank);
    for (int64_t in = 1; in <= k.channels; ++in) {
      // The smallest output rank that meets the tolerance with `in`.
      int64_t out = 1;
      while (out < k.filters && decomposition->errorBound(in, out) > tolerance)
        ++out;
      if (decomposition->errorBound(in, out) > tolerance)
        continue;
      int64_t flops = layer.tucker2Flops(in, out);
      if (flops < best) {
        best = flops;
        plan.inRank = in;
        plan.outRank = out;
      }
    }
  }
  if (std::optional<std::string> reason = whyNot(plan)) {
    layer.op->setAttr("compress.decomposition_skipped",
                      StringAttr::get(layer.op->getContext(), *reason));
    return;
  }
  if (!decomposition)
    decomposition = Tucker2Decomposition::compute(plan.kernel, k);
  Tucker2Factors factors =
      decomposition->factors(plan.inRank, plan.outRank, maxIterations);
  int64_t denseFlops = layer.denseFlops();
  int64_t flops = layer.tucker2Flops(plan.inRank, plan.outRank);
  Operation *weight = layer.op.getDpsInputs()[1].getDefiningOp();
  SmallVector<linalg::LinalgOp, 3> ops = rewriteTucker2(layer, factors);
  MLIRContext *context = ops.front()->getContext();
  auto i64 = [&](int64_t value) {
    return IntegerAttr::get(IntegerType::get(context, 64), value);
  };
  for (auto [index, factorOp] : llvm::enumerate(ops)) {
    SmallVector<NamedAttribute> entries{
        NamedAttribute(StringAttr::get(context, "method"),
                       StringAttr::get(context, "tucker2")),
        NamedAttribute(
            StringAttr::get(context, "ranks"),
            DenseI64ArrayAttr::get(context, {factors.inRank, factors.outRank})),
        NamedAttribute(StringAttr::get(context, "factor"), i64(index + 1)),
        NamedAttribute(
            StringAttr::get(context, "weight_error"),
            FloatAttr::get(Float64Type::get(context), factors.relativeError)),
        NamedAttribute(StringAttr::get(context, "iterations"),
                       i64(factors.iterations)),
        NamedAttribute(StringAttr::get(context, "original_params"),
                       i64(k.size())),
        NamedAttribute(StringAttr::get(context, "params"),
                       i64(factors.input.size() + factors.core.size() +
                           factors.output.size())),
        NamedAttribute(StringAttr::get(context, "original_flops"),
                       i64(denseFlops)),
        NamedAttribute(StringAttr::get(context, "flops"), i64(flops))};
    factorOp->setAttr("compress.decomposed",
                      DictionaryAttr::get(context, entries));
  }
  if (weight)
    replaced.insert(weight);
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
  std::vector<ConvPlan> convs;
  bool failedRead = false;
  auto skip = [](Operation *op, StringRef reason) {
    op->setAttr("compress.decomposition_skipped",
                StringAttr::get(op->getContext(), reason));
  };
  forEachCompressibleOp(getOperation(), [&](linalg::LinalgOp op,
                                            StringRef key) {
    if (failedRead)
      return;
    if (std::optional<ConvLayer> conv = matchConv(op)) {
      if (method != DecomposeMethod::Tucker2) {
        skip(op, "method=svd factors matmuls; method=tucker2 factors "
                 "convolutions");
        return;
      }
      std::optional<std::vector<float>> values =
          readF32Constant(op.getDpsInputs()[1]);
      if (!values || values->empty()) {
        skip(op, "the kernel is not an f32 constant");
        return;
      }
      ConvPlan plan{*conv, kernelFCHW(*conv, *values)};
      convs.push_back(std::move(plan));
      return;
    }
    auto matmul = dyn_cast<linalg::MatmulOp>(op.getOperation());
    if (!matmul)
      return;
    if (method != DecomposeMethod::SVD) {
      skip(matmul, "method=tucker2 factors convolutions; method=svd factors "
                   "matmuls");
      return;
    }
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
  for (ConvPlan &plan : convs)
    decomposeConv(plan, replaced);
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
