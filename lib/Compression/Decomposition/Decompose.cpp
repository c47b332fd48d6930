//===- Decompose.cpp - Low-rank factors of matmuls and convolutions -------===//
//
// Implements --compress-cp-decompose: plans, for every linalg.matmul and
// batch_matmul (method=svd) or 2-D convolution (method=tucker2, cp) with a
// constant f32 weight, its ranks and factors (LowRank.h, Tucker2.h, CP.h,
// ConvWhitening.h for the data-aware refits), and replaces the layer by its
// factor layers (ConvFactors.h for convolutions) where the plan says the
// factors pay.
//
//===----------------------------------------------------------------------===//

#include "ConvFactors.h"
#include "ConvWhitening.h"
#include "LowRank.h"
#include "compress/Compression/Calibration/CalibrationStore.h"
#include "compress/Compression/Compressible.h"
#include "compress/Compression/Passes.h"
#include "compress/Utils/IRUtils.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "llvm/ADT/SetVector.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/MathExtras.h"

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

/// The f32 lanes of the widest vectors we compile for (AVX-512). A matmul
/// kernel computes whole vectors of outputs: per input row, K x N costs K
/// vector multiply-adds for every vector of N. So a classifier with 10
/// outputs costs as much as one with 16, and its factors at rank 5 cost
/// K + 5 vectors against K (measured: a 32 x 10 layer at batch 64 runs in
/// 1.5 us dense, 1.7 us as rank-5 factors).
constexpr int64_t kVectorLanes = 16;

/// The vector multiply-adds per input row of a K x N matmul.
static int64_t vectorWork(int64_t k, int64_t n) {
  return k * llvm::divideCeil(n, kVectorLanes);
}

/// The largest fraction of a convolution's FLOPs at which its factors
/// still run faster than the dense convolution on our kernels, measured on
/// ResNet-18's 3x3 layers (docs/decomposition.md): Tucker-2's three
/// convolutions run about as efficiently as the dense one (1.15-1.3x
/// faster at 0.75 of the FLOPs); CP's depthwise factors and the
/// activations they write cost more per multiply-add (1.0x at 0.56,
/// 1.8-2x at 0.44).
constexpr double kMaxTucker2FlopFraction = 0.8;
constexpr double kMaxCPFlopFraction = 0.45;

/// The default sweeps: HOOI gains little after the HOSVD start (a 512 x 512
/// x 3 x 3 kernel takes 0.17 s a sweep), CP-ALS needs more.
constexpr int64_t kTucker2Sweeps = 20;
constexpr int64_t kCPSweeps = 50;

/// A convolution to factor and its plan.
struct ConvPlan {
  ConvLayer layer;
  std::vector<float> kernel; // F x C x kh x kw
  /// The im2col Gram matrix in (c, kh, kw) order, with calibration.
  std::optional<std::vector<double>> gram;
  /// With calibration, the kernel is factored whitened along its input
  /// channels (ConvWhitening.h) and the input factor mapped back.
  std::optional<ChannelWhitening> whitening;
  std::vector<float> whitened;

  /// The kernel the factorization sees.
  ArrayRef<float> factored() const {
    return whitening ? ArrayRef<float>(whitened) : ArrayRef<float>(kernel);
  }
};

/// A matmul to factor and its plan.
struct Layer {
  linalg::MatmulOp op;
  std::string key;
  int64_t k = 0, n = 0, rank = 0;
  std::vector<float> weight;
  std::optional<std::vector<double>> gram;
};

/// A batch_matmul with a constant B x K x N weight to factor, batch by
/// batch.
struct BatchLayer {
  linalg::BatchMatmulOp op;
  int64_t batches = 0, k = 0, n = 0;
  std::vector<float> weight;
  /// With calibration, each batch's K x K Gram matrix (the diagonal blocks
  /// of the recorded (B K) x (B K) one), concatenated.
  std::optional<std::vector<double>> grams;
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
  /// Choose the ranks of `plan`, and factor it where they pay.
  void decomposeTucker2(ConvPlan &plan, SetVector<Operation *> &replaced);
  void decomposeCP(ConvPlan &plan, SetVector<Operation *> &replaced);
  /// Factors each batch of `layer` at one rank where the factors pay.
  void decomposeBatch(BatchLayer &layer, SetVector<Operation *> &replaced);
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
  if (maxIterations < 0 && maxIterations != -1)
    return fail("max-iterations must be >= 0, got " + Twine(maxIterations));
  if (method == DecomposeMethod::CP && maxIterations == 0)
    return fail("max-iterations must be >= 1 with method=cp, got " +
                Twine(maxIterations));
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
  double fraction = static_cast<double>(vectorWork(layer.k, layer.rank) +
                                        vectorWork(layer.rank, layer.n)) /
                    static_cast<double>(vectorWork(layer.k, layer.n));
  if (fraction >= 1)
    return llvm::formatv("rank {0} keeps {1:F2} of the vector multiply-adds "
                         "(outputs in vectors of {2}): no reduction",
                         layer.rank, fraction, kVectorLanes)
        .str();
  if (fraction > kMaxFlopFraction)
    return llvm::formatv("rank {0} keeps {1:F2} of the vector multiply-adds, "
                         "above {2} where the factors run faster than the "
                         "dense layer",
                         layer.rank, fraction, kMaxFlopFraction)
        .str();
  return std::nullopt;
}

/// What compress.decomposed records on every factor op of one layer.
struct Record {
  StringRef method;
  /// The rank (svd) or the ranks (tucker2: R1, R2; cp: R).
  std::optional<int64_t> rank;
  SmallVector<int64_t, 2> ranks;
  double weightError = 0;
  std::optional<double> outputError;
  /// Sweeps of an iterative factorization.
  std::optional<int64_t> iterations;
  /// Parameters and multiply-adds (per image or activation row) of the
  /// original layer and of all its factors.
  int64_t originalParams = 0, params = 0, originalFlops = 0, flops = 0;
};

/// Marks each of `ops` (factor 1, 2, ... of one layer) with
/// compress.decomposed.
static void recordFactors(ArrayRef<Operation *> ops, const Record &record) {
  MLIRContext *context = ops.front()->getContext();
  auto i64 = [&](int64_t value) {
    return IntegerAttr::get(IntegerType::get(context, 64), value);
  };
  auto f64 = [&](double value) {
    return FloatAttr::get(Float64Type::get(context), value);
  };
  for (auto [index, op] : llvm::enumerate(ops)) {
    NamedAttrList entries;
    entries.append("method", StringAttr::get(context, record.method));
    if (record.rank)
      entries.append("rank", i64(*record.rank));
    else
      entries.append("ranks", DenseI64ArrayAttr::get(context, record.ranks));
    entries.append("factor", i64(index + 1));
    entries.append("weight_error", f64(record.weightError));
    if (record.outputError)
      entries.append("output_error", f64(*record.outputError));
    if (record.iterations)
      entries.append("iterations", i64(*record.iterations));
    entries.append("original_params", i64(record.originalParams));
    entries.append("params", i64(record.params));
    entries.append("original_flops", i64(record.originalFlops));
    entries.append("flops", i64(record.flops));
    op->setAttr("compress.decomposed", entries.getDictionary(context));
  }
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

  // Multiply-adds per activation row.
  Record record{"svd",        r,     {},          weightError, outputError,
                std::nullopt, k * n, r * (k + n), k * n,       r * (k + n)};
  recordFactors({first, second}, record);
  op->getResult(0).replaceAllUsesWith(second.getResult(0));
  op->erase();
}

static bool allFinite(ArrayRef<float> values) {
  return llvm::all_of(values, [](float value) { return std::isfinite(value); });
}

/// An NHWC convolution's im2col Gram matrix, recorded in (kh, kw, c)
/// order, in (c, kh, kw) order.
static std::vector<double> gramCHW(ArrayRef<double> gram, int64_t channels,
                                   int64_t taps) {
  int64_t size = channels * taps;
  std::vector<double> result(size * size);
  for (int64_t s = 0; s < taps; ++s)
    for (int64_t c = 0; c < channels; ++c)
      for (int64_t s2 = 0; s2 < taps; ++s2)
        for (int64_t c2 = 0; c2 < channels; ++c2)
          result[(c * taps + s) * size + c2 * taps + s2] =
              gram[(s * channels + c) * size + s2 * channels + c2];
  return result;
}

/// Why factors of `ranks` that keep `flops` of the `dense` multiply-adds
/// do not pay (above `maxFraction` of them), or nothing.
static std::optional<std::string> whyNotFaster(StringRef ranks, int64_t flops,
                                               int64_t dense,
                                               double maxFraction) {
  double fraction = static_cast<double>(flops) / static_cast<double>(dense);
  if (fraction >= 1)
    return llvm::formatv("{0} keep{1} {2:F2} of the FLOPs: no reduction", ranks,
                         ranks.starts_with("ranks") ? "" : "s", fraction)
        .str();
  if (fraction > maxFraction)
    return llvm::formatv("{0} keep{1} {2:F2} of the FLOPs, above {3} where "
                         "the factors run faster than the dense convolution",
                         ranks, ranks.starts_with("ranks") ? "" : "s", fraction,
                         maxFraction)
        .str();
  return std::nullopt;
}

void CompressCpDecomposePass::decomposeTucker2(
    ConvPlan &plan, SetVector<Operation *> &replaced) {
  ConvLayer &layer = plan.layer;
  const KernelShape &k = layer.kernel;
  auto ranksFor = [](int64_t size, double ratio) {
    return std::clamp<int64_t>(std::llround(ratio * static_cast<double>(size)),
                               1, size);
  };
  int64_t in = 0, out = 0;
  std::optional<Tucker2Decomposition> decomposition;
  // With calibration the kernel is factored whitened: its HOSVD bound is
  // then the output error when every tap's channels have the calibration's
  // covariance.
  ArrayRef<float> kernel = plan.factored();
  if (rank != -1) {
    in = std::min<int64_t>(rank, k.channels);
    out = std::min<int64_t>(rank, k.filters);
  } else if (rankRatio != -1) {
    in = ranksFor(k.channels, rankRatio);
    out = ranksFor(k.filters, rankRatio);
  } else {
    // The cheapest rank pair whose HOSVD error bound is within the
    // tolerance (the refined factors only do better). As R1 grows, the
    // smallest R2 that meets it can only shrink: one walk over both.
    decomposition = Tucker2Decomposition::compute(kernel, k);
    in = k.channels;
    out = k.filters;
    int64_t best = layer.tucker2Flops(in, out);
    int64_t r2 = k.filters;
    for (int64_t r1 = 1; r1 <= k.channels; ++r1) {
      while (r2 > 1 && decomposition->errorBound(r1, r2 - 1) <= tolerance)
        --r2;
      if (!(decomposition->errorBound(r1, r2) <= tolerance))
        continue;
      int64_t flops = layer.tucker2Flops(r1, r2);
      if (flops < best) {
        best = flops;
        in = r1;
        out = r2;
      }
    }
  }
  std::string ranks = llvm::formatv("ranks ({0}, {1})", in, out).str();
  int64_t flops = layer.tucker2Flops(in, out);
  std::optional<std::string> reason;
  if (onlyFaster && in >= k.channels && out >= k.filters)
    reason = llvm::formatv("{0} are not below (C, F) = ({1}, {2})", ranks,
                           k.channels, k.filters)
                 .str();
  else if (onlyFaster)
    reason =
        whyNotFaster(ranks, flops, layer.denseFlops(), kMaxTucker2FlopFraction);
  if (reason) {
    layer.op->setAttr("compress.decomposition_skipped",
                      StringAttr::get(layer.op->getContext(), *reason));
    return;
  }
  if (!decomposition)
    decomposition = Tucker2Decomposition::compute(kernel, k);
  Tucker2Factors factors = decomposition->factors(
      in, out, maxIterations == -1 ? kTucker2Sweeps : maxIterations);
  std::optional<double> outputError;
  if (plan.gram) {
    plan.whitening->unwhitenInput(factors.input);
    refitTucker2(factors, plan.kernel, k, *plan.gram, damp);
    outputError = relativeOutputError(plan.kernel, rebuildKernel(factors, k), k,
                                      *plan.gram);
  }
  Operation *weight = layer.op.getDpsInputs()[1].getDefiningOp();
  int64_t params =
      factors.input.size() + factors.core.size() + factors.output.size();
  SmallVector<linalg::LinalgOp, 3> ops = rewriteTucker2(layer, factors);
  Record record{"tucker2",          std::nullopt,
                {in, out},          factors.relativeError,
                outputError,        factors.iterations,
                k.size(),           params,
                layer.denseFlops(), flops};
  recordFactors({ops[0], ops[1], ops[2]}, record);
  if (weight)
    replaced.insert(weight);
}

void CompressCpDecomposePass::decomposeCP(ConvPlan &plan,
                                          SetVector<Operation *> &replaced) {
  ConvLayer &layer = plan.layer;
  const KernelShape &k = layer.kernel;
  int64_t bound = std::min(k.filters, k.channels * k.taps());
  auto skip = [&](const std::string &reason) {
    layer.op->setAttr("compress.decomposition_skipped",
                      StringAttr::get(layer.op->getContext(), reason));
  };
  auto whyNot = [&](int64_t r) -> std::optional<std::string> {
    if (!onlyFaster)
      return std::nullopt;
    return whyNotFaster(llvm::formatv("rank {0}", r).str(), layer.cpFlops(r),
                        layer.denseFlops(), kMaxCPFlopFraction);
  };
  // The factors of rank r, refitted to the calibration data if any, with
  // the error a tolerance bounds (weight, or with calibration output).
  struct Candidate {
    CPFactors factors;
    double error;
  };
  auto factorize = [&](int64_t r) {
    CPFactors factors = decomposition::decomposeCP(
        plan.factored(), k, r, maxIterations == -1 ? kCPSweeps : maxIterations);
    double error = factors.relativeError;
    if (plan.gram) {
      plan.whitening->unwhitenInput(factors.input);
      refitCP(factors, plan.kernel, k, *plan.gram, damp);
      error = relativeOutputError(plan.kernel, rebuildKernel(factors, k), k,
                                  *plan.gram);
    }
    return Candidate{std::move(factors), error};
  };
  std::optional<Candidate> chosen;
  int64_t r = 0;
  if (rank != -1) {
    // Past C kh kw components the Khatri-Rao product of the input-side
    // factors cannot gain rank: the factorization is exact there.
    r = std::min<int64_t>(rank, k.channels * k.taps());
  } else if (rankRatio != -1) {
    r = std::clamp<int64_t>(
        std::llround(rankRatio * static_cast<double>(bound)), 1, bound);
  } else {
    // The smallest rank within the tolerance, by bisection (the ALS error
    // falls with the rank, up to the local optima ALS finds), up to the
    // largest rank that still pays (or the bound min(F, C kh kw) with
    // only-faster=false, which then factors at the bound if even that
    // misses the tolerance).
    int64_t high = bound;
    if (onlyFaster)
      while (high > 1 && whyNot(high))
        --high;
    if (whyNot(high)) {
      skip(*whyNot(high));
      return;
    }
    Candidate atHigh = factorize(high);
    if (!(atHigh.error <= tolerance) && onlyFaster) {
      skip(llvm::formatv("the tolerance needs a rank above {0}, the largest "
                         "whose factors run faster (error {1:F3} there)",
                         high, atHigh.error)
               .str());
      return;
    }
    r = high;
    chosen = std::move(atHigh);
    int64_t low = 1;
    while (chosen->error <= tolerance && low < r) {
      int64_t mid = low + (r - low) / 2;
      Candidate atMid = factorize(mid);
      if (atMid.error <= tolerance) {
        r = mid;
        chosen = std::move(atMid);
      } else {
        low = mid + 1;
      }
    }
  }
  if (std::optional<std::string> reason = whyNot(r)) {
    skip(*reason);
    return;
  }
  if (!chosen)
    chosen = factorize(r);
  if (!std::isfinite(chosen->error) ||
      !std::isfinite(chosen->factors.relativeError)) {
    skip("the factors are not finite");
    return;
  }
  CPFactors *factors = &chosen->factors;
  Operation *weight = layer.op.getDpsInputs()[1].getDefiningOp();
  int64_t params = factors->input.size() + factors->vertical.size() +
                   factors->horizontal.size() + factors->output.size();
  SmallVector<linalg::LinalgOp, 4> ops = rewriteCP(layer, *factors);
  std::optional<double> outputError;
  if (plan.gram)
    outputError = chosen->error;
  Record record{"cp",
                std::nullopt,
                {r},
                factors->relativeError,
                outputError,
                factors->iterations,
                k.size(),
                params,
                layer.denseFlops(),
                layer.cpFlops(r)};
  recordFactors({ops[0], ops[1], ops[2], ops[3]}, record);
  if (weight)
    replaced.insert(weight);
}

void CompressCpDecomposePass::decomposeBatch(BatchLayer &layer,
                                             SetVector<Operation *> &replaced) {
  int64_t b = layer.batches, k = layer.k, n = layer.n;
  int64_t maxRank = std::min(k, n);
  auto weightOf = [&](int64_t i) {
    return ArrayRef<float>(layer.weight).slice(i * k * n, k * n);
  };
  auto gramOf = [&](int64_t i) -> std::optional<ArrayRef<double>> {
    if (!layer.grams)
      return std::nullopt;
    return ArrayRef<double>(*layer.grams).slice(i * k * k, k * k);
  };
  // Each batch's SVD, whitened by its own Gram matrix with calibration.
  std::vector<LowRankSpectrum> spectra;
  for (int64_t i = 0; i < b; ++i)
    spectra.push_back(
        LowRankSpectrum::compute(weightOf(i), k, n, gramOf(i), damp));
  int64_t r = 0;
  if (rank != -1) {
    r = std::min<int64_t>(rank, maxRank);
  } else if (rankRatio != -1) {
    r = std::clamp<int64_t>(
        std::llround(rankRatio * static_cast<double>(maxRank)), 1, maxRank);
  } else {
    // One rank for all batches: the largest any batch needs.
    for (const LowRankSpectrum &spectrum : spectra)
      r = std::max(r, spectrum.rankFor(tolerance));
  }
  Layer asMatmul{nullptr, "", k, n, r};
  if (std::optional<std::string> reason = whyNot(asMatmul)) {
    layer.op->setAttr("compress.decomposition_skipped",
                      StringAttr::get(layer.op->getContext(), *reason));
    return;
  }
  // The errors of all batches together: the weight's, and with
  // calibration the outputs'.
  std::vector<float> a, bFactor;
  double residual = 0, whole = 0;
  OutputEnergies outputs;
  for (int64_t i = 0; i < b; ++i) {
    ArrayRef<float> weight = weightOf(i);
    LowRankSpectrum::Factors factors = spectra[i].factors(r);
    double error = relativeWeightError(weight, k, n, factors, r);
    double norm2 = 0;
    for (float value : weight)
      norm2 += static_cast<double>(value) * value;
    residual += error * error * norm2;
    whole += norm2;
    if (std::optional<ArrayRef<double>> gram = gramOf(i)) {
      OutputEnergies batch = outputEnergies(weight, k, n, factors, r, *gram);
      outputs.residual += batch.residual;
      outputs.whole += batch.whole;
    }
    llvm::append_range(a, factors.a);
    llvm::append_range(bFactor, factors.b);
  }
  double weightError = whole > 0 ? std::sqrt(residual / whole) : 0.0;
  std::optional<double> outputError;
  if (layer.grams)
    outputError = outputs.relative();

  linalg::BatchMatmulOp op = layer.op;
  OpBuilder builder(op);
  Location loc = op.getLoc();
  Value x = op.getInputs()[0];
  Type f32 = builder.getF32Type();
  Value aValue = arith::ConstantOp::create(
      builder, loc,
      DenseElementsAttr::get(RankedTensorType::get({b, k, r}, f32),
                             ArrayRef<float>(a)));
  Value bValue = arith::ConstantOp::create(
      builder, loc,
      DenseElementsAttr::get(RankedTensorType::get({b, r, n}, f32),
                             ArrayRef<float>(bFactor)));
  SmallVector<OpFoldResult> sizes{tensor::getMixedSize(builder, loc, x, 0),
                                  tensor::getMixedSize(builder, loc, x, 1),
                                  builder.getIndexAttr(r)};
  Value empty = tensor::EmptyOp::create(builder, loc, sizes, f32);
  Value zero =
      arith::ConstantOp::create(builder, loc, builder.getF32FloatAttr(0));
  Value filled =
      linalg::FillOp::create(builder, loc, ValueRange{zero}, ValueRange{empty})
          .getResult(0);
  auto first =
      linalg::BatchMatmulOp::create(builder, loc, TypeRange{filled.getType()},
                                    ValueRange{x, aValue}, ValueRange{filled});
  Value init = op.getOutputs()[0];
  auto second = linalg::BatchMatmulOp::create(
      builder, loc, TypeRange{init.getType()},
      ValueRange{first.getResult(0), bValue}, ValueRange{init});
  // Multiply-adds per activation row of every batch.
  Record record{"svd",       r,
                {},          weightError,
                outputError, std::nullopt,
                b * k * n,   b * r * (k + n),
                b * k * n,   b * r * (k + n)};
  recordFactors({first, second}, record);
  Operation *weight = op.getInputs()[1].getDefiningOp();
  op->getResult(0).replaceAllUsesWith(second.getResult(0));
  op->erase();
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
  std::vector<BatchLayer> batches;
  bool failedRead = false;
  auto skip = [](Operation *op, StringRef reason) {
    op->setAttr("compress.decomposition_skipped",
                StringAttr::get(op->getContext(), reason));
  };
  // The constant weight of `op` (input 1), or nothing (and the reason on
  // the op).
  auto readWeight = [&](linalg::LinalgOp op,
                        StringRef name) -> std::optional<std::vector<float>> {
    std::optional<std::vector<float>> values =
        readF32Constant(op.getDpsInputs()[1]);
    if (!values || values->empty()) {
      skip(op, ("the " + name + " is not an f32 constant").str());
      return std::nullopt;
    }
    if (!allFinite(*values)) {
      skip(op, ("the " + name + " has non-finite values").str());
      return std::nullopt;
    }
    return values;
  };
  FailureOr<std::optional<llvm::StringSet<>>> selected =
      selectOps(getOperation(), ops, "compress-cp-decompose");
  if (failed(selected))
    return signalPassFailure();
  forEachCompressibleOp(getOperation(), [&](linalg::LinalgOp op,
                                            StringRef key) {
    if (*selected && !(*selected)->contains(key))
      return;
    if (failedRead)
      return;
    if (std::optional<ConvLayer> conv = matchConv(op)) {
      if (method == DecomposeMethod::SVD) {
        skip(op, "method=svd factors matmuls; method=cp or tucker2 factors "
                 "convolutions");
        return;
      }
      std::optional<std::vector<float>> values = readWeight(op, "kernel");
      if (!values)
        return;
      ConvPlan plan{*conv, kernelFCHW(*conv, *values)};
      if (store) {
        const KernelShape &k = conv->kernel;
        int64_t size = k.channels * k.taps();
        FailureOr<std::vector<double>> gram =
            readLayerGram(*store, op, key, size, "compress-cp-decompose");
        if (failed(gram)) {
          failedRead = true;
          return;
        }
        plan.gram = conv->channelsLast ? gramCHW(*gram, k.channels, k.taps())
                                       : std::move(*gram);
        plan.whitening = ChannelWhitening::compute(*plan.gram, k);
        plan.whitened = plan.whitening->whiten(plan.kernel);
      }
      convs.push_back(std::move(plan));
      return;
    }
    // A matmul or batch_matmul: default indexing maps, f32, a static
    // weight.
    auto batch = dyn_cast<linalg::BatchMatmulOp>(op.getOperation());
    auto matmul = dyn_cast<linalg::MatmulOp>(op.getOperation());
    if (!batch && !matmul)
      return;
    if (method != DecomposeMethod::SVD) {
      skip(op, "method=cp and tucker2 factor convolutions; method=svd "
               "factors matmuls");
      return;
    }
    MLIRContext *context = op->getContext();
    auto wType = cast<RankedTensorType>(op.getDpsInputs()[1].getType());
    if (!op.hasPureTensorSemantics() ||
        op.getIndexingMapsArray() !=
            (batch ? linalg::BatchMatmulOp::getDefaultIndexingMaps(context)
                   : linalg::MatmulOp::getDefaultIndexingMaps(context)) ||
        !wType.hasStaticShape() ||
        !getElementTypeOrSelf(op.getDpsInputs()[0].getType()).isF32() ||
        !getElementTypeOrSelf(op.getDpsInits()[0].getType()).isF32())
      return;
    std::optional<std::vector<float>> values = readWeight(op, "weight");
    if (!values)
      return;
    if (batch) {
      BatchLayer layer{batch, wType.getDimSize(0), wType.getDimSize(1),
                       wType.getDimSize(2), std::move(*values)};
      if (store) {
        // The recorded Gram matrix spans all batches' inputs ((B K)
        // square, in (batch, k) order); batch i's inputs meet only its
        // own weight: its diagonal block.
        int64_t b = layer.batches, k = layer.k;
        FailureOr<std::vector<double>> gram =
            readLayerGram(*store, op, key, b * k, "compress-cp-decompose");
        if (failed(gram)) {
          failedRead = true;
          return;
        }
        std::vector<double> grams(b * k * k);
        for (int64_t i = 0; i < b; ++i)
          for (int64_t row = 0; row < k; ++row)
            for (int64_t col = 0; col < k; ++col)
              grams[(i * k + row) * k + col] =
                  (*gram)[(i * k + row) * b * k + i * k + col];
        layer.grams = std::move(grams);
      }
      batches.push_back(std::move(layer));
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
  for (BatchLayer &layer : batches)
    decomposeBatch(layer, replaced);
  for (ConvPlan &plan : convs) {
    if (method == DecomposeMethod::CP)
      decomposeCP(plan, replaced);
    else
      decomposeTucker2(plan, replaced);
  }
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
