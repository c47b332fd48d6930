//===- ConvFactors.cpp - Convolutions rebuilt from kernel factors ---------===//

#include "ConvFactors.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Matchers.h"

using namespace mlir;
using namespace mlir::compress::decomposition;

int64_t ConvLayer::denseFlops() const {
  return outHeight * outWidth * kernel.size();
}

int64_t ConvLayer::tucker2Flops(int64_t inRank, int64_t outRank) const {
  return firstHeight * firstWidth * kernel.channels * inRank +
         outHeight * outWidth * inRank * outRank * kernel.taps() +
         outHeight * outWidth * outRank * kernel.filters;
}

int64_t ConvLayer::cpFlops(int64_t rank) const {
  return firstHeight * firstWidth * kernel.channels * rank +
         outHeight * inWidth * rank * kernel.height +
         outHeight * outWidth * rank * kernel.width +
         outHeight * outWidth * rank * kernel.filters;
}

/// The positions of the channel and spatial dimensions of an image.
static int64_t channelDim(bool channelsLast) { return channelsLast ? 3 : 1; }
static int64_t spatialDim(bool channelsLast, int64_t i) {
  return channelsLast ? 1 + i : 2 + i;
}

/// The pad of zeros around the spatial dimensions only that makes `input`.
static std::optional<tensor::PadOp> spatialZeroPad(Value input,
                                                   bool channelsLast) {
  auto pad = input.getDefiningOp<tensor::PadOp>();
  if (!pad || !pad.getLow().empty() || !pad.getHigh().empty())
    return std::nullopt;
  Value padding = pad.getConstantPaddingValue();
  if (!padding || !matchPattern(padding, m_AnyZeroFloat()))
    return std::nullopt;
  auto source = cast<RankedTensorType>(pad.getSource().getType());
  for (int64_t dim : {int64_t(0), channelDim(channelsLast)})
    if (pad.getStaticLow()[dim] != 0 || pad.getStaticHigh()[dim] != 0)
      return std::nullopt;
  for (int64_t i = 0; i < 2; ++i)
    if (source.isDynamicDim(spatialDim(channelsLast, i)))
      return std::nullopt;
  return pad;
}

std::optional<ConvLayer>
mlir::compress::decomposition::matchConv(linalg::LinalgOp op) {
  ConvLayer layer;
  layer.op = op;
  DenseIntElementsAttr strides, dilations;
  if (auto conv = dyn_cast<linalg::Conv2DNchwFchwOp>(op.getOperation())) {
    strides = conv.getStrides();
    dilations = conv.getDilations();
  } else if (auto conv =
                 dyn_cast<linalg::Conv2DNhwcHwcfOp>(op.getOperation())) {
    layer.channelsLast = true;
    strides = conv.getStrides();
    dilations = conv.getDilations();
  } else {
    return std::nullopt;
  }
  if (!op.hasPureTensorSemantics())
    return std::nullopt;
  auto input = cast<RankedTensorType>(op.getDpsInputs()[0].getType());
  auto filter = cast<RankedTensorType>(op.getDpsInputs()[1].getType());
  auto output = cast<RankedTensorType>(op.getDpsInits()[0].getType());
  if (!input.getElementType().isF32() || !filter.getElementType().isF32() ||
      !output.getElementType().isF32() || !filter.hasStaticShape())
    return std::nullopt;
  bool last = layer.channelsLast;
  for (int64_t i = 0; i < 2; ++i)
    if (input.isDynamicDim(spatialDim(last, i)) ||
        output.isDynamicDim(spatialDim(last, i)))
      return std::nullopt;
  ArrayRef<int64_t> f = filter.getShape();
  layer.kernel = last ? KernelShape{f[3], f[2], f[0], f[1]}
                      : KernelShape{f[0], f[1], f[2], f[3]};
  for (int64_t i = 0; i < 2; ++i) {
    layer.strides[i] = strides.getValues<int64_t>()[i];
    layer.dilations[i] = dilations.getValues<int64_t>()[i];
  }
  layer.inHeight = input.getDimSize(spatialDim(last, 0));
  layer.inWidth = input.getDimSize(spatialDim(last, 1));
  layer.outHeight = output.getDimSize(spatialDim(last, 0));
  layer.outWidth = output.getDimSize(spatialDim(last, 1));
  layer.pad = spatialZeroPad(op.getDpsInputs()[0], last);
  layer.firstHeight = layer.inHeight;
  layer.firstWidth = layer.inWidth;
  if (layer.pad) {
    auto source = cast<RankedTensorType>(layer.pad->getSource().getType());
    layer.firstHeight = source.getDimSize(spatialDim(last, 0));
    layer.firstWidth = source.getDimSize(spatialDim(last, 1));
  }
  return layer;
}

std::vector<float>
mlir::compress::decomposition::kernelFCHW(const ConvLayer &layer,
                                          ArrayRef<float> weight) {
  if (!layer.channelsLast)
    return std::vector<float>(weight.begin(), weight.end());
  const KernelShape &k = layer.kernel;
  std::vector<float> result(k.size());
  for (int64_t s = 0; s < k.taps(); ++s)
    for (int64_t c = 0; c < k.channels; ++c)
      for (int64_t f = 0; f < k.filters; ++f)
        result[(f * k.channels + c) * k.taps() + s] =
            weight[(s * k.channels + c) * k.filters + f];
  return result;
}

namespace {
/// Builds the factor convolutions of one layer in its layout.
class FactorBuilder {
public:
  FactorBuilder(ConvLayer layer)
      : layer(layer), b(layer.op), loc(layer.op.getLoc()) {}

  /// A constant filter of `filters` x `channels` x `height` x `width`
  /// from F x C x kh x kw ordered `values`, in the layer's layout.
  Value filter(ArrayRef<float> values, int64_t filters, int64_t channels,
               int64_t height, int64_t width) {
    if (!layer.channelsLast)
      return constant({filters, channels, height, width}, values);
    int64_t taps = height * width;
    std::vector<float> data(values.size());
    for (int64_t f = 0; f < filters; ++f)
      for (int64_t c = 0; c < channels; ++c)
        for (int64_t s = 0; s < taps; ++s)
          data[(s * channels + c) * filters + f] =
              values[(f * channels + c) * taps + s];
    return constant({height, width, channels, filters}, data);
  }

  /// A zero image like `like` with `channels` channels and the given
  /// spatial sizes.
  Value zeros(Value like, int64_t channels, int64_t height, int64_t width) {
    bool last = layer.channelsLast;
    SmallVector<OpFoldResult> sizes(4);
    sizes[0] = tensor::getMixedSize(b, loc, like, 0);
    sizes[channelDim(last)] = b.getIndexAttr(channels);
    sizes[spatialDim(last, 0)] = b.getIndexAttr(height);
    sizes[spatialDim(last, 1)] = b.getIndexAttr(width);
    Value empty = tensor::EmptyOp::create(b, loc, sizes, b.getF32Type());
    Value zero = arith::ConstantOp::create(b, loc, b.getF32FloatAttr(0));
    return linalg::FillOp::create(b, loc, ValueRange{zero}, ValueRange{empty})
        .getResult(0);
  }

  /// A convolution of `input` by `filter` into `init`: OpT (NCHW) or
  /// LastT (NHWC) by the layer's layout.
  template <typename OpT, typename LastT>
  linalg::LinalgOp create(Value input, Value filter, Value init,
                          ArrayRef<int64_t> strides,
                          ArrayRef<int64_t> dilations) {
    auto attr = [&](ArrayRef<int64_t> values) {
      return DenseIntElementsAttr::get(
          RankedTensorType::get({2}, b.getI64Type()), values);
    };
    SmallVector<Type, 1> types{init.getType()};
    if (layer.channelsLast)
      return LastT::create(b, loc, types, ValueRange{input, filter},
                           ValueRange{init}, attr(strides), attr(dilations));
    return OpT::create(b, loc, types, ValueRange{input, filter},
                       ValueRange{init}, attr(strides), attr(dilations));
  }

  /// The convolution of `input` by `filter` into `init`.
  linalg::LinalgOp conv(Value input, Value filter, Value init,
                        ArrayRef<int64_t> strides,
                        ArrayRef<int64_t> dilations) {
    return create<linalg::Conv2DNchwFchwOp, linalg::Conv2DNhwcHwcfOp>(
        input, filter, init, strides, dilations);
  }

  /// The depthwise convolution of `input` by `filter` into `init`.
  linalg::LinalgOp depthwise(Value input, Value filter, Value init,
                             ArrayRef<int64_t> strides,
                             ArrayRef<int64_t> dilations) {
    return create<linalg::DepthwiseConv2DNchwChwOp,
                  linalg::DepthwiseConv2DNhwcHwcOp>(input, filter, init,
                                                    strides, dilations);
  }

  /// A constant of `shape` holding `data` (row-major).
  Value constant(ArrayRef<int64_t> shape, ArrayRef<float> data) {
    return arith::ConstantOp::create(
        b, loc,
        DenseElementsAttr::get(RankedTensorType::get(shape, b.getF32Type()),
                               data));
  }

  /// A depthwise kernel of `channels` x `height` x `width` from C x kh x kw
  /// ordered `values`, in the layer's layout.
  Value depthwiseFilter(ArrayRef<float> values, int64_t channels,
                        int64_t height, int64_t width) {
    if (!layer.channelsLast)
      return constant({channels, height, width}, values);
    int64_t taps = height * width;
    std::vector<float> data(values.size());
    for (int64_t c = 0; c < channels; ++c)
      for (int64_t s = 0; s < taps; ++s)
        data[s * channels + c] = values[c * taps + s];
    return constant({height, width, channels}, data);
  }

  /// `image` padded like the layer's input.
  Value padLikeInput(Value image) {
    tensor::PadOp pad = *layer.pad;

    Value zero = arith::ConstantOp::create(b, loc, b.getF32FloatAttr(0));
    auto type =
        tensor::PadOp::inferResultType(cast<RankedTensorType>(image.getType()),
                                       pad.getStaticLow(), pad.getStaticHigh());
    auto padded =
        tensor::PadOp::create(b, loc, type, image, pad.getStaticLow(),
                              pad.getStaticHigh(), ValueRange{}, ValueRange{});
    OpBuilder::InsertionGuard guard(b);
    Block *body = b.createBlock(&padded.getRegion());
    for (int i = 0; i < 4; ++i)
      body->addArgument(b.getIndexType(), loc);
    tensor::YieldOp::create(b, loc, zero);
    return padded;
  }

  ConvLayer layer;
  OpBuilder b;
  Location loc;
};
} // namespace

/// The first 1x1 factor C -> `rank` (on the pad's source when the pad
/// moves, then padded like the input): returns the op and the image the
/// next factor reads.
static std::pair<linalg::LinalgOp, Value>
firstFactor(FactorBuilder &fb, ArrayRef<float> weight, int64_t rank) {
  ConvLayer &layer = fb.layer;
  Value input = layer.op.getDpsInputs()[0];
  Value first = layer.pad ? layer.pad->getSource() : input;
  int64_t ones[2] = {1, 1};
  Value filter = fb.filter(weight, rank, layer.kernel.channels, 1, 1);
  Value init = fb.zeros(first, rank, layer.firstHeight, layer.firstWidth);
  linalg::LinalgOp op = fb.conv(first, filter, init, ones, ones);
  Value image = op->getResult(0);
  if (layer.pad)
    image = fb.padLikeInput(image);
  return {op, image};
}

/// The last 1x1 factor `rank` -> F of `image` into the layer's init, which
/// then replaces the layer (and its moved pad, when nothing else uses it).
static linalg::LinalgOp lastFactor(FactorBuilder &fb, Value image,
                                   ArrayRef<float> weight, int64_t rank) {
  ConvLayer &layer = fb.layer;
  int64_t ones[2] = {1, 1};
  Value filter = fb.filter(weight, layer.kernel.filters, rank, 1, 1);
  linalg::LinalgOp op =
      fb.conv(image, filter, layer.op.getDpsInits()[0], ones, ones);
  layer.op->getResult(0).replaceAllUsesWith(op->getResult(0));
  layer.op->erase();
  if (layer.pad && layer.pad->use_empty())
    layer.pad->erase();
  return op;
}

SmallVector<linalg::LinalgOp, 3>
mlir::compress::decomposition::rewriteTucker2(ConvLayer layer,
                                              const Tucker2Factors &factors) {
  FactorBuilder fb(layer);
  const KernelShape &k = layer.kernel;
  int64_t r1 = factors.inRank, r2 = factors.outRank;
  auto [reduce, reduced] = firstFactor(fb, factors.input, r1);
  // The batch size comes from the image the first factor reads, not the
  // layer's input: a moved pad must not stay alive for a tensor.dim.
  Value filter = fb.filter(factors.core, r2, r1, k.height, k.width);
  Value init = fb.zeros(reduced, r2, layer.outHeight, layer.outWidth);
  linalg::LinalgOp core =
      fb.conv(reduced, filter, init, layer.strides, layer.dilations);
  linalg::LinalgOp expand =
      lastFactor(fb, core->getResult(0), factors.output, r2);
  return {reduce, core, expand};
}

SmallVector<linalg::LinalgOp, 4>
mlir::compress::decomposition::rewriteCP(ConvLayer layer,
                                         const CPFactors &factors) {
  FactorBuilder fb(layer);
  const KernelShape &k = layer.kernel;
  int64_t r = factors.rank;
  auto [reduce, reduced] = firstFactor(fb, factors.input, r);
  int64_t verticalStrides[2] = {layer.strides[0], 1};
  int64_t verticalDilations[2] = {layer.dilations[0], 1};
  Value verticalFilter = fb.depthwiseFilter(factors.vertical, r, k.height, 1);
  Value verticalInit = fb.zeros(reduced, r, layer.outHeight, layer.inWidth);
  linalg::LinalgOp vertical =
      fb.depthwise(reduced, verticalFilter, verticalInit, verticalStrides,
                   verticalDilations);
  int64_t horizontalStrides[2] = {1, layer.strides[1]};
  int64_t horizontalDilations[2] = {1, layer.dilations[1]};
  Value horizontalFilter =
      fb.depthwiseFilter(factors.horizontal, r, 1, k.width);
  Value horizontalInit = fb.zeros(reduced, r, layer.outHeight, layer.outWidth);
  linalg::LinalgOp horizontal =
      fb.depthwise(vertical->getResult(0), horizontalFilter, horizontalInit,
                   horizontalStrides, horizontalDilations);
  linalg::LinalgOp expand =
      lastFactor(fb, horizontal->getResult(0), factors.output, r);
  return {reduce, vertical, horizontal, expand};
}
