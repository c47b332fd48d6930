//===- SparseMatch.cpp - The convolutions compress.sparse_conv runs -------===//

#include "compress/Codegen/SparsePlan.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"

using namespace mlir;
using namespace mlir::compress::sparse;

/// Whether every element of `attr` is 1.
static bool allOnes(DenseIntElementsAttr attr) {
  return llvm::all_of(attr.getValues<APInt>(),
                      [](const APInt &value) { return value.isOne(); });
}

std::optional<ConvShape>
mlir::compress::sparse::matchSparseConv(Operation *op, std::string *reason) {
  auto fail = [&](const char *why) -> std::optional<ConvShape> {
    if (reason)
      *reason = why;
    return std::nullopt;
  };
  ConvShape shape;
  DenseIntElementsAttr strides, dilations;
  if (auto conv = dyn_cast<linalg::Conv2DNchwFchwOp>(op)) {
    shape.layout = ConvLayout::NchwFchw;
    strides = conv.getStrides();
    dilations = conv.getDilations();
  } else if (auto conv = dyn_cast<linalg::Conv2DNhwcHwcfOp>(op)) {
    shape.layout = ConvLayout::NhwcHwcf;
    strides = conv.getStrides();
    dilations = conv.getDilations();
  } else if (auto conv = dyn_cast<linalg::Conv2DNhwcFhwcOp>(op)) {
    shape.layout = ConvLayout::NhwcFhwc;
    strides = conv.getStrides();
    dilations = conv.getDilations();
  } else if (auto conv = dyn_cast<linalg::DepthwiseConv2DNchwChwOp>(op)) {
    shape.layout = ConvLayout::DepthwiseNchwChw;
    strides = conv.getStrides();
    dilations = conv.getDilations();
  } else if (auto conv = dyn_cast<linalg::DepthwiseConv2DNhwcHwcOp>(op)) {
    shape.layout = ConvLayout::DepthwiseNhwcHwc;
    strides = conv.getStrides();
    dilations = conv.getDilations();
  } else {
    return fail("compress-sparsify runs sparse weights of f32 linalg.matmul "
                "and of conv_2d_nchw_fchw, conv_2d_nhwc_hwcf, "
                "conv_2d_nhwc_fhwc, depthwise_conv_2d_nchw_chw and "
                "depthwise_conv_2d_nhwc_hwc only");
  }
  auto linalgOp = cast<linalg::LinalgOp>(op);
  if (!linalgOp.hasPureTensorSemantics())
    return fail("the convolution is not on tensors");
  auto input =
      cast<ShapedType>(linalgOp.getDpsInputOperand(0)->get().getType());
  auto weight =
      cast<ShapedType>(linalgOp.getDpsInputOperand(1)->get().getType());
  auto output =
      cast<ShapedType>(linalgOp.getDpsInitOperand(0)->get().getType());
  // The batch may be dynamic.
  auto staticBeyondBatch = [](ShapedType type) {
    return llvm::none_of(type.getShape().drop_front(), ShapedType::isDynamic);
  };
  if (!weight.hasStaticShape() || !staticBeyondBatch(input) ||
      !staticBeyondBatch(output))
    return fail("the sparse convolution needs static shapes (but the "
                "batch)");
  if (!input.getElementType().isF32() || !weight.getElementType().isF32() ||
      !output.getElementType().isF32())
    return fail("the sparse convolution runs f32 only");
  if (strides) {
    SmallVector<int64_t> values(strides.getValues<int64_t>());
    shape.strideHeight = values[0];
    shape.strideWidth = values[1];
  }
  if (dilations) {
    SmallVector<int64_t> values(dilations.getValues<int64_t>());
    shape.dilationHeight = values[0];
    shape.dilationWidth = values[1];
  }
  if (shape.strided() && dilations && !allOnes(dilations))
    return fail("the sparse convolution runs strides or dilations, not both");
  ArrayRef<int64_t> in = input.getShape(), w = weight.getShape(),
                    out = output.getShape();
  switch (shape.layout) {
  case ConvLayout::NchwFchw:
    shape.filters = w[0], shape.channels = w[1];
    shape.kernelHeight = w[2], shape.kernelWidth = w[3];
    shape.height = in[2], shape.width = in[3];
    shape.outHeight = out[2], shape.outWidth = out[3];
    break;
  case ConvLayout::NhwcHwcf:
    shape.kernelHeight = w[0], shape.kernelWidth = w[1];
    shape.channels = w[2], shape.filters = w[3];
    shape.height = in[1], shape.width = in[2];
    shape.outHeight = out[1], shape.outWidth = out[2];
    break;
  case ConvLayout::NhwcFhwc:
    shape.filters = w[0], shape.kernelHeight = w[1];
    shape.kernelWidth = w[2], shape.channels = w[3];
    shape.height = in[1], shape.width = in[2];
    shape.outHeight = out[1], shape.outWidth = out[2];
    break;
  case ConvLayout::DepthwiseNchwChw:
    shape.filters = shape.channels = w[0];
    shape.kernelHeight = w[1], shape.kernelWidth = w[2];
    shape.height = in[2], shape.width = in[3];
    shape.outHeight = out[2], shape.outWidth = out[3];
    break;
  case ConvLayout::DepthwiseNhwcHwc:
    shape.kernelHeight = w[0], shape.kernelWidth = w[1];
    shape.filters = shape.channels = w[2];
    shape.height = in[1], shape.width = in[2];
    shape.outHeight = out[1], shape.outWidth = out[2];
    break;
  }
  if (shape.outHeight < 1 || shape.outWidth < 1 || shape.filters < 1 ||
      shape.channels < 1)
    return fail("the convolution has an empty output or weight");
  // Linalg does not check that the input holds every window the output
  // reads (the sparse convolution would read past it).
  if (shape.height < (shape.outHeight - 1) * shape.strideHeight +
                         shape.dilationHeight * (shape.kernelHeight - 1) + 1 ||
      shape.width < (shape.outWidth - 1) * shape.strideWidth +
                        shape.dilationWidth * (shape.kernelWidth - 1) + 1)
    return fail("the convolution's input is smaller than its output and "
                "kernel read");
  return shape;
}
