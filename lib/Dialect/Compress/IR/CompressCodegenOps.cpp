//===- CompressCodegenOps.cpp - CPU code generation ops -------------------===//
//
// Verifiers of the compress dialect's code-generation ops.
//
//===----------------------------------------------------------------------===//

#include "compress/Dialect/Compress/IR/CompressCodegenOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/OpImplementation.h"

using namespace mlir;
using namespace mlir::compress;

#define GET_OP_CLASSES
#include "compress/Dialect/Compress/IR/CompressCodegenOps.cpp.inc"

LogicalResult FusionGroupOp::verify() {
  Block &body = getBody().front();
  auto yield = dyn_cast_or_null<YieldOp>(body.empty() ? nullptr : &body.back());
  if (!yield)
    return emitOpError("region must end with 'compress.yield'");
  if (yield.getValues().getTypes() != getResultTypes())
    return emitOpError("yields ")
           << yield.getValues().size() << " value(s) of types "
           << yield.getValues().getTypes() << " but the group has "
           << getNumResults() << " result(s) of types " << getResultTypes();
  if (std::next(body.begin()) == body.end())
    return emitOpError("must contain at least one op besides the terminator");
  return success();
}

LogicalResult VNNIDotOp::verify() {
  int64_t lanes = getAcc().getType().getNumElements();
  if (lanes != 4 && lanes != 8 && lanes != 16)
    return emitOpError("accumulator must have 4, 8 or 16 i32 lanes, got ")
           << lanes;
  if (getLhs().getType().getNumElements() != 4 * lanes)
    return emitOpError("byte operands must have 4 x ")
           << lanes << " = " << 4 * lanes << " elements, got "
           << getLhs().getType().getNumElements();
  return success();
}

LogicalResult LookupOp::inferReturnTypes(
    MLIRContext *, std::optional<Location>, ValueRange operands, DictionaryAttr,
    OpaqueProperties, RegionRange, SmallVectorImpl<Type> &inferredReturnTypes) {
  auto table = dyn_cast<VectorType>(operands[0].getType());
  auto indices = dyn_cast<VectorType>(operands[1].getType());
  if (!table || !indices)
    return failure();
  inferredReturnTypes.push_back(
      VectorType::get(indices.getShape(), table.getElementType()));
  return success();
}

LogicalResult LookupOp::verify() {
  VectorType table = getTable().getType();
  if (table.getNumElements() != 16)
    return emitOpError("table must have 16 entries, got ")
           << table.getNumElements();
  int64_t lanes = getIndices().getType().getNumElements();
  if (lanes != 8 && lanes != 16)
    return emitOpError("indices must have 8 or 16 lanes, got ") << lanes;
  return success();
}

/// Whether two sizes are both static and differ.
static bool mismatch(int64_t a, int64_t b) {
  return !ShapedType::isDynamic(a) && !ShapedType::isDynamic(b) && a != b;
}

/// Checks constant `offsets` (start at 0, grow by multiples of `group`,
/// end at `entries`) and constant `rows` (in [0, k)) of a sparse product.
static LogicalResult verifySparseIndices(Operation *op, Value offsets,
                                         Value rows, int64_t group,
                                         int64_t entries, int64_t k) {
  DenseIntElementsAttr offsetValues;
  if (matchPattern(offsets, m_Constant(&offsetValues))) {
    int64_t previous = 0;
    for (auto [i, value] : llvm::enumerate(offsetValues.getValues<APInt>())) {
      int64_t offset = value.getSExtValue();
      if ((i == 0 && offset != 0) || offset < previous ||
          (offset - previous) % group != 0 ||
          (!ShapedType::isDynamic(entries) && offset > entries))
        return op->emitOpError("offsets must start at 0 and grow by "
                               "multiples of the group ")
               << group << " up to the " << entries << " nonzeros; offset " << i
               << " is " << offset;
      previous = offset;
    }
    if (!ShapedType::isDynamic(entries) && previous != entries)
      return op->emitOpError("the last offset must be the number of "
                             "nonzeros ")
             << entries << ", got " << previous;
  }
  DenseIntElementsAttr rowValues;
  if (!ShapedType::isDynamic(k) && matchPattern(rows, m_Constant(&rowValues))) {
    for (auto [i, value] : llvm::enumerate(rowValues.getValues<APInt>())) {
      int64_t row = value.getSExtValue();
      if (row < 0 || row >= k)
        return op->emitOpError("row index ")
               << row << " (nonzero " << i << ") is outside the " << k
               << " input rows";
    }
  }
  return success();
}

/// Checks the stored entries of a sparse product: as many `rows` as
/// `values`, `scales` exactly with i8 values, one per `unit` (`count`).
static LogicalResult verifyValues(Operation *op, RankedTensorType rows,
                                  RankedTensorType values, Value scales,
                                  int64_t count, StringRef unit) {
  if (mismatch(rows.getDimSize(0), values.getDimSize(0)))
    return op->emitOpError("rows and values must have as many elements, got ")
           << rows.getDimSize(0) << " and " << values.getDimSize(0);
  bool codes = values.getElementType().isInteger(8);
  if (codes != static_cast<bool>(scales))
    return op->emitOpError(codes ? "i8 values need scales"
                                 : "scales apply to i8 values only");
  if (!scales)
    return success();
  int64_t given = cast<RankedTensorType>(scales.getType()).getDimSize(0);
  if (mismatch(given, count))
    return op->emitOpError("scales must have one element per ")
           << unit << " (" << count << "), got " << given;
  return success();
}

/// The values of constant `offsets` and `rows` of a sparse product, or
/// false when either is not a constant.
static bool readSparseIndices(Value offsets, Value rows,
                              SmallVectorImpl<int64_t> &offsetList,
                              SmallVectorImpl<int64_t> &rowList) {
  DenseIntElementsAttr offsetValues, rowValues;
  if (!matchPattern(offsets, m_Constant(&offsetValues)) ||
      !matchPattern(rows, m_Constant(&rowValues)))
    return false;
  for (const APInt &value : offsetValues.getValues<APInt>())
    offsetList.push_back(value.getSExtValue());
  for (const APInt &value : rowValues.getValues<APInt>())
    rowList.push_back(value.getSExtValue());
  return true;
}

/// Checks that constant `rows` of a weight stored by blocks of `blockRows`
/// rows (offsets by block, then `columns` ranges per block) lie in their
/// blocks (padding entries repeat a row of the block).
static LogicalResult verifyRowBlocks(Operation *op, Value offsets, Value rows,
                                     int64_t blockRows, int64_t columns) {
  SmallVector<int64_t> offsetList, rowList;
  if (blockRows <= 0 || ShapedType::isDynamic(columns) ||
      !readSparseIndices(offsets, rows, offsetList, rowList))
    return success();
  for (size_t range = 0; range + 1 < offsetList.size(); ++range) {
    int64_t block = static_cast<int64_t>(range) / columns;
    for (int64_t j = offsetList[range]; j < offsetList[range + 1]; ++j)
      if (rowList[j] / blockRows != block)
        return op->emitOpError("row index ")
               << rowList[j] << " (nonzero " << j << ") is outside its block "
               << block << " of " << blockRows << " rows";
  }
  return success();
}

/// Checks that the two entries of every shared row of constant paired
/// `offsets` and `rows` (the first of each pair's three ranges) have the
/// same row index.
static LogicalResult verifySharedRows(Operation *op, Value offsets,
                                      Value rows) {
  SmallVector<int64_t> offsetList, rowList;
  if (!readSparseIndices(offsets, rows, offsetList, rowList))
    return success();
  for (size_t first = 0; first + 1 < offsetList.size(); first += 3)
    for (int64_t j = offsetList[first]; j + 1 < offsetList[first + 1]; j += 2)
      if (rowList[j] != rowList[j + 1])
        return op->emitOpError("shared row entries ")
               << j << " and " << j + 1 << " have different rows " << rowList[j]
               << " and " << rowList[j + 1];
  return success();
}

LogicalResult SparseMatmulOp::verify() {
  auto input = cast<RankedTensorType>(getInput().getType());
  auto offsets = cast<RankedTensorType>(getOffsets().getType());
  auto rows = cast<RankedTensorType>(getRows().getType());
  auto values = cast<RankedTensorType>(getValues().getType());
  auto result = cast<RankedTensorType>(getResult().getType());
  if (mismatch(result.getDimSize(1), input.getDimSize(1)))
    return emitOpError("result has ")
           << result.getDimSize(1) << " columns, the input "
           << input.getDimSize(1);
  int64_t k = input.getDimSize(0);
  int64_t blockRows = getRowsPerBlock();
  int64_t blocks = 1;
  if (blockRows > 0) {
    if (ShapedType::isDynamic(k) || ShapedType::isDynamic(result.getDimSize(0)))
      return emitOpError("rows_per_block needs static input rows and result "
                         "rows");
    blocks = llvm::divideCeil(k, blockRows);
  }
  // Ranges of stored entries per block: one per column, or three per pair
  // of columns.
  int64_t ranges = result.getDimSize(0);
  if (getPaired()) {
    if (ShapedType::isDynamic(ranges) || ranges % 2 != 0)
      return emitOpError("paired needs a static, even number of result rows, "
                         "got ")
             << (ShapedType::isDynamic(ranges) ? std::string("?")
                                               : std::to_string(ranges));
    if (getGroup() % 2 != 0)
      return emitOpError("paired needs an even group, got ") << getGroup();
    ranges = ranges / 2 * 3;
    if (mismatch(offsets.getDimSize(0), ranges * blocks + 1))
      return emitOpError("offsets must have 3 x ")
             << result.getDimSize(0) / 2 << " pairs"
             << (blockRows > 0 ? " x " + std::to_string(blocks) + " blocks"
                               : std::string())
             << " + 1 elements, got " << offsets.getDimSize(0);
  } else if (!ShapedType::isDynamic(result.getDimSize(0)) &&
             mismatch(offsets.getDimSize(0),
                      result.getDimSize(0) * blocks + 1)) {
    if (blockRows > 0)
      return emitOpError("offsets must have ")
             << blocks << " blocks x " << result.getDimSize(0)
             << " result rows + 1 elements, got " << offsets.getDimSize(0);
    return emitOpError("offsets must have one element more than the ")
           << result.getDimSize(0) << " result rows, got "
           << offsets.getDimSize(0);
  }
  if (failed(verifyValues(*this, rows, values, getScales(),
                          result.getDimSize(0), "result row")))
    return failure();
  if (failed(verifySparseIndices(*this, getOffsets(), getRows(), getGroup(),
                                 values.getDimSize(0), k)))
    return failure();
  if (getPaired() && failed(verifySharedRows(*this, getOffsets(), getRows())))
    return failure();
  return verifyRowBlocks(*this, getOffsets(), getRows(), blockRows, ranges);
}

LogicalResult BlockSparseMatmulOp::verify() {
  auto input = cast<RankedTensorType>(getInput().getType());
  auto offsets = cast<RankedTensorType>(getOffsets().getType());
  auto rows = cast<RankedTensorType>(getRows().getType());
  auto values = cast<RankedTensorType>(getValues().getType());
  auto result = cast<RankedTensorType>(getResult().getType());
  if (mismatch(result.getDimSize(0), input.getDimSize(0)))
    return emitOpError("result has ")
           << result.getDimSize(0) << " rows, the input "
           << input.getDimSize(0);
  int64_t width = values.getDimSize(1);
  if (ShapedType::isDynamic(width) ||
      ShapedType::isDynamic(offsets.getDimSize(0)) ||
      ShapedType::isDynamic(result.getDimSize(1)))
    return emitOpError("needs a static block width, offsets size and result "
                       "columns");
  if (result.getDimSize(1) != (offsets.getDimSize(0) - 1) * width)
    return emitOpError("result has ")
           << result.getDimSize(1) << " columns, not "
           << offsets.getDimSize(0) - 1 << " groups of " << width;
  if (mismatch(rows.getDimSize(0), values.getDimSize(0)))
    return emitOpError("rows and values must have as many blocks, got ")
           << rows.getDimSize(0) << " and " << values.getDimSize(0);
  return verifySparseIndices(*this, getOffsets(), getRows(), getGroup(),
                             values.getDimSize(0), input.getDimSize(1));
}

LogicalResult SparseConvOp::verify() {
  auto input = cast<RankedTensorType>(getInput().getType());
  auto offsets = cast<RankedTensorType>(getOffsets().getType());
  auto rows = cast<RankedTensorType>(getRows().getType());
  auto values = cast<RankedTensorType>(getValues().getType());
  auto result = cast<RankedTensorType>(getResult().getType());
  ArrayRef<int64_t> kernel = getKernel();
  if (kernel.size() != 2 || kernel[0] < 1 || kernel[1] < 1)
    return emitOpError("kernel must be two positive sizes [KH, KW], got [")
           << kernel << "]";
  for (int64_t d = 1; d < 4; ++d)
    if (input.isDynamicDim(d) || result.isDynamicDim(d))
      return emitOpError("needs static channels, heights and widths");
  int64_t channels = input.getDimSize(1), height = input.getDimSize(2),
          width = input.getDimSize(3), filters = result.getDimSize(1);
  if (mismatch(result.getDimSize(0), input.getDimSize(0)))
    return emitOpError("result has ")
           << result.getDimSize(0) << " images, the input "
           << input.getDimSize(0);
  ArrayRef<int64_t> dilations = getDilations();
  if (dilations.size() != 2 || dilations[0] < 1 || dilations[1] < 1)
    return emitOpError("dilations must be two positive factors [DH, DW], "
                       "got [")
           << dilations << "]";
  // The rows and columns one output element's window spans.
  int64_t spanHeight = dilations[0] * (kernel[0] - 1) + 1,
          spanWidth = dilations[1] * (kernel[1] - 1) + 1;
  if (spanHeight > height || spanWidth > width)
    return emitOpError("kernel ")
           << kernel[0] << " x " << kernel[1] << " (dilated: " << spanHeight
           << " x " << spanWidth << ") exceeds the " << height << " x " << width
           << " input";
  if (result.getDimSize(2) != height - spanHeight + 1 ||
      result.getDimSize(3) != width - spanWidth + 1)
    return emitOpError("result must be ")
           << height - spanHeight + 1 << " x " << width - spanWidth + 1
           << " for a " << height << " x " << width << " input and a "
           << kernel[0] << " x " << kernel[1] << " kernel with dilations "
           << dilations[0] << " x " << dilations[1] << ", got "
           << result.getDimSize(2) << " x " << result.getDimSize(3);
  int64_t reduction = channels * kernel[0] * kernel[1];
  int64_t blockRows = getRowsPerBlock();
  int64_t blocks = blockRows > 0 ? llvm::divideCeil(reduction, blockRows) : 1;
  if (mismatch(offsets.getDimSize(0), filters * blocks + 1))
    return emitOpError("offsets must have ")
           << blocks << " block(s) x " << filters
           << " filters + 1 elements, got " << offsets.getDimSize(0);
  if (failed(verifyValues(*this, rows, values, getScales(), filters, "filter")))
    return failure();
  if (failed(verifySparseIndices(*this, getOffsets(), getRows(), getGroup(),
                                 values.getDimSize(0), reduction)))
    return failure();
  return verifyRowBlocks(*this, getOffsets(), getRows(), blockRows, filters);
}

LogicalResult NMSparseMatmulOp::verify() {
  auto input = cast<RankedTensorType>(getInput().getType());
  auto values = cast<RankedTensorType>(getValues().getType());
  auto indices = cast<RankedTensorType>(getIndices().getType());
  auto result = cast<RankedTensorType>(getResult().getType());
  int64_t n = getN(), m = getM();
  if ((m != 2 && m != 4) || n >= m)
    return emitOpError("needs 0 < n < m with m = 2 or 4, got ")
           << n << ":" << m;
  int64_t k = input.getDimSize(1), columns = result.getDimSize(1);
  if (ShapedType::isDynamic(k) || ShapedType::isDynamic(columns) ||
      !values.hasStaticShape() || !indices.hasStaticShape())
    return emitOpError("needs a static reduction, result columns, values "
                       "and indices");
  if (k % m != 0)
    return emitOpError("the reduction ")
           << k << " is not a multiple of m = " << m;
  if (mismatch(result.getDimSize(0), input.getDimSize(0)))
    return emitOpError("result has ")
           << result.getDimSize(0) << " rows, the input "
           << input.getDimSize(0);
  int64_t slots = k / m * n, tiles = llvm::divideCeil(columns, 16);
  if (values.getDimSize(0) != tiles || values.getDimSize(1) != slots ||
      values.getDimSize(2) != 16)
    return emitOpError("values must be ")
           << tiles << " x " << slots << " x 16 (tiles of 16 of the " << columns
           << " columns, K / m x n slots), got " << values.getDimSize(0)
           << " x " << values.getDimSize(1) << " x " << values.getDimSize(2);
  if (indices.getDimSize(0) != tiles || indices.getDimSize(1) != slots)
    return emitOpError("indices must be ")
           << tiles << " x " << slots << ", got " << indices.getDimSize(0)
           << " x " << indices.getDimSize(1);
  bool codes = values.getElementType().isInteger(8);
  if (codes != static_cast<bool>(getScales()))
    return emitOpError(codes ? "i8 values need scales"
                             : "scales apply to i8 values only");
  if (getScales() &&
      cast<RankedTensorType>(getScales().getType()).getDimSize(0) != columns)
    return emitOpError("scales must have one element per column (")
           << columns << "), got "
           << cast<RankedTensorType>(getScales().getType()).getDimSize(0);
  return success();
}
