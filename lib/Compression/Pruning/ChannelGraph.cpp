//===- ChannelGraph.cpp - Channels coupled across a model -----------------===//

#include "ChannelGraph.h"
#include "compress/Compression/Compressible.h"
#include "compress/Utils/IRUtils.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;
using namespace mlir::compress;
using namespace mlir::compress::pruning;

namespace mlir::compress::pruning {

/// Walks a module once, in program order, and fills a ChannelGraph.
class ChannelGraphBuilder {
public:
  explicit ChannelGraphBuilder(ChannelGraph &graph) : graph(graph) {}

  void visit(Operation *op);
  void finish();

private:
  ChannelGraph &graph;
  /// Pins and filters in the order they were found (read by class at the
  /// end, when the classes are final).
  std::vector<std::pair<int64_t, std::string>> pinList;
  std::vector<std::pair<int64_t, Filter>> filterList;

  SmallVector<int64_t> newIds(int64_t count) {
    SmallVector<int64_t> ids;
    for (int64_t i = 0; i < count; ++i) {
      int64_t id = graph.nextId++;
      graph.same.insert(id);
      graph.coupled.insert(id);
      ids.push_back(id);
    }
    return ids;
  }
  void unite(ArrayRef<int64_t> a, ArrayRef<int64_t> b) {
    for (auto [x, y] : llvm::zip_equal(a, b)) {
      graph.same.unionSets(x, y);
      graph.coupled.unionSets(x, y);
    }
  }
  void pin(ArrayRef<int64_t> ids, const Twine &reason) {
    std::string text = reason.str();
    for (int64_t id : ids)
      pinList.emplace_back(id, text);
  }
  void track(Value value, ChannelDim dim) {
    for (int64_t id : dim.ids)
      graph.coupled.unionSets(dim.ids.front(), id);
    graph.tracked[value] = std::move(dim);
  }
  const ChannelDim *lookup(Value value) const { return graph.lookup(value); }

  /// Pins the channels of every operand of `op` that carries some.
  void pinOperands(Operation *op, const Twine &reason) {
    for (Value operand : op->getOperands())
      if (const ChannelDim *dim = lookup(operand))
        pin(dim->ids, reason);
  }

  void visitLinalg(linalg::LinalgOp op);
  void visitPad(tensor::PadOp op);
  void visitCollapse(tensor::CollapseShapeOp op);
  void visitExpand(tensor::ExpandShapeOp op);
  void visitConcat(tensor::ConcatOp op);
};

} // namespace mlir::compress::pruning

/// A constant the rewrite can slice: static shape, whole-byte elements.
static bool isSliceableConstant(Value value) {
  auto type = dyn_cast<RankedTensorType>(value.getType());
  return type && type.hasStaticShape() &&
         value.getDefiningOp<arith::ConstantOp>() && hasConstantBytes(value);
}

/// An init operand the rewrite can rebuild at another shape: tensor.empty,
/// or linalg.fill of one.
static bool isRebuildableInit(Value value) {
  if (value.getDefiningOp<tensor::EmptyOp>())
    return true;
  auto fill = value.getDefiningOp<linalg::FillOp>();
  return fill && fill.hasPureTensorSemantics() &&
         fill.getOutputs()[0].getDefiningOp<tensor::EmptyOp>();
}

/// The position of the single result of `map` that is exactly loop `loop`,
/// if no other result uses the loop.
static std::optional<unsigned> plainPosition(AffineMap map, unsigned loop) {
  std::optional<unsigned> position;
  for (auto [i, expr] : llvm::enumerate(map.getResults())) {
    if (!expr.isFunctionOfDim(loop))
      continue;
    auto dim = dyn_cast<AffineDimExpr>(expr);
    if (!dim || position)
      return std::nullopt;
    position = i;
  }
  return position;
}

static std::string opName(Operation *op) {
  return ("'" + op->getName().getStringRef() + "'").str();
}

void ChannelGraphBuilder::visitLinalg(linalg::LinalgOp op) {
  if (!op.hasPureTensorSemantics())
    return pinOperands(op, "used by " + opName(op) + " on buffers");
  unsigned numLoops = op.getNumLoops();
  SmallVector<utils::IteratorType> iterators = op.getIteratorTypesArray();
  SmallVector<std::optional<ChannelDim>> loops(numLoops);

  // The loops that operands with channels index them by.
  for (OpOperand &operand : op->getOpOperands()) {
    const ChannelDim *dim = lookup(operand.get());
    if (!dim)
      continue;
    AffineMap map = op.getMatchingIndexingMap(&operand);
    auto expr = dyn_cast<AffineDimExpr>(map.getResult(dim->dim));
    if (!expr) {
      pin(dim->ids, opName(op) + " indexes its channels by an expression");
      continue;
    }
    std::optional<ChannelDim> &loop = loops[expr.getPosition()];
    if (!loop) {
      loop = *dim;
      loop->dim = expr.getPosition();
    } else if (loop->ids.size() == dim->ids.size() &&
               loop->outer == dim->outer && loop->inner == dim->inner) {
      unite(loop->ids, dim->ids);
    } else {
      pin(loop->ids, opName(op) + " mixes channels of different layouts");
      pin(dim->ids, opName(op) + " mixes channels of different layouts");
    }
  }

  // A convolution or matmul with a constant weight produces one channel
  // per slice of the weight along a parallel loop that no other input reads
  // (the output channel).
  bool compressible = isCompressibleOp(op) && op.getNumDpsInputs() >= 2;
  OpOperand *weight = compressible ? op.getDpsInputOperand(1) : nullptr;
  bool constantWeight = weight && isSliceableConstant(weight->get());
  bool produces = false;
  if (constantWeight) {
    for (unsigned l = 0; l < numLoops; ++l) {
      if (loops[l] || iterators[l] != utils::IteratorType::parallel)
        continue;
      std::optional<unsigned> weightDim =
          plainPosition(op.getMatchingIndexingMap(weight), l);
      if (!weightDim)
        continue;
      bool otherInput = llvm::any_of(op.getDpsInputOperands(), [&](auto *in) {
        return in != weight && op.getMatchingIndexingMap(in).isFunctionOfDim(l);
      });
      if (otherInput)
        continue;
      int64_t extent = cast<RankedTensorType>(weight->get().getType())
                           .getDimSize(*weightDim);
      ChannelDim produced;
      produced.dim = l;
      produced.ids = newIds(extent);
      for (auto [index, id] : llvm::enumerate(produced.ids))
        filterList.emplace_back(
            id, Filter{op, *weightDim, static_cast<int64_t>(index)});
      loops[l] = std::move(produced);
      produces = true;
    }
  }

  // Every operand that reads a loop with channels must be one of them, a
  // constant or an init the rewrite can slice; results carry the parallel
  // ones on; a reduced one must be the input channel of the weight.
  bool consumes = false;
  for (unsigned l = 0; l < numLoops; ++l) {
    if (!loops[l])
      continue;
    ArrayRef<int64_t> ids = loops[l]->ids;
    for (OpOperand &operand : op->getOpOperands()) {
      AffineMap map = op.getMatchingIndexingMap(&operand);
      if (!map.isFunctionOfDim(l))
        continue;
      std::optional<unsigned> position = plainPosition(map, l);
      const ChannelDim *dim = lookup(operand.get());
      bool fits = position && (dim ? dim->dim == *position
                                   : isSliceableConstant(operand.get()) ||
                                         (op.isDpsInit(&operand) &&
                                          isRebuildableInit(operand.get())));
      if (!fits)
        pin(ids, opName(op) + " reads them with operand #" +
                     Twine(operand.getOperandNumber()) +
                     ", which pruning cannot shrink");
    }
    bool indexed = false;
    op->walk([&](linalg::IndexOp index) { indexed |= index.getDim() == l; });
    if (indexed)
      pin(ids, opName(op) + " uses the channel index in its body");
    if (iterators[l] == utils::IteratorType::parallel) {
      for (OpOperand &init : op.getDpsInitsMutable()) {
        std::optional<unsigned> position =
            plainPosition(op.getMatchingIndexingMap(&init), l);
        if (!position) {
          pin(ids, opName(op) + " does not keep the channels in its result");
          continue;
        }
        Value value = op.getTiedOpResult(&init);
        if (lookup(value)) {
          // Channels along two dims of one result: the second stays.
          pin(ids, opName(op) + " has channels along two dims of a result");
          continue;
        }
        ChannelDim result = *loops[l];
        result.dim = *position;
        track(value, std::move(result));
      }
    } else if (constantWeight &&
               op.getMatchingIndexingMap(weight).isFunctionOfDim(l)) {
      consumes = true;
    } else {
      pin(ids, opName(op) + " reduces them without a constant weight");
    }
  }
  if (produces)
    graph.producerOps.push_back(op);
  if (consumes)
    graph.consumerOps.push_back(op);
  if (llvm::any_of(loops, [](auto &loop) { return loop.has_value(); }))
    graph.visited.push_back(op);
}

void ChannelGraphBuilder::visitPad(tensor::PadOp op) {
  const ChannelDim *dim = lookup(op.getSource());
  if (!dim)
    return;
  ArrayRef<int64_t> low = op.getStaticLow(), high = op.getStaticHigh();
  if (low[dim->dim] != 0 || high[dim->dim] != 0) {
    pin(dim->ids, "'tensor.pad' pads along the channel dim");
    return;
  }
  track(op.getResult(), *dim);
  graph.visited.push_back(op);
}

void ChannelGraphBuilder::visitCollapse(tensor::CollapseShapeOp op) {
  const ChannelDim *dim = lookup(op.getSrc());
  if (!dim)
    return;
  ArrayRef<int64_t> shape = op.getSrcType().getShape();
  for (auto [group, dims] : llvm::enumerate(op.getReassociationIndices())) {
    if (!llvm::is_contained(dims, static_cast<int64_t>(dim->dim)))
      continue;
    int64_t before = 1, after = 1;
    for (int64_t d : dims) {
      if (d == dim->dim)
        continue;
      if (ShapedType::isDynamic(shape[d])) {
        pin(dim->ids, "'tensor.collapse_shape' merges them with a dynamic dim");
        return;
      }
      (d < dim->dim ? before : after) *= shape[d];
    }
    ChannelDim result = *dim;
    result.dim = group;
    result.outer *= before;
    result.inner *= after;
    track(op.getResult(), std::move(result));
    graph.visited.push_back(op);
    return;
  }
}

void ChannelGraphBuilder::visitExpand(tensor::ExpandShapeOp op) {
  const ChannelDim *dim = lookup(op.getSrc());
  if (!dim)
    return;
  ArrayRef<int64_t> shape = op.getResultType().getShape();
  ReassociationIndices dims = op.getReassociationIndices()[dim->dim];
  auto channels = static_cast<int64_t>(dim->ids.size());
  // The result dim that alone decides the channel: its stride divides
  // `inner` and the dims above it step by whole multiples of the channels.
  int64_t stride = 1;
  for (int64_t d : llvm::reverse(dims)) {
    if (ShapedType::isDynamic(shape[d]))
      break;
    if (dim->inner % stride == 0) {
      int64_t perChannel = dim->inner / stride;
      if (shape[d] % (channels * perChannel) == 0) {
        ChannelDim result = *dim;
        result.dim = d;
        result.inner = perChannel;
        result.outer = shape[d] / (channels * perChannel);
        track(op.getResult(), std::move(result));
        graph.visited.push_back(op);
        return;
      }
    }
    stride *= shape[d];
  }
  pin(dim->ids, "'tensor.expand_shape' splits the channels over dims");
}

void ChannelGraphBuilder::visitConcat(tensor::ConcatOp op) {
  SmallVector<const ChannelDim *> dims;
  for (Value input : op.getInputs())
    dims.push_back(lookup(input));
  if (llvm::all_of(dims, [](auto *dim) { return !dim; }))
    return;
  int64_t axis = op.getDim();
  auto pinAll = [&](const Twine &reason) {
    for (const ChannelDim *dim : dims)
      if (dim)
        pin(dim->ids, reason);
  };
  bool alongChannels =
      llvm::any_of(dims, [&](auto *dim) { return dim && dim->dim == axis; });
  if (alongChannels) {
    // The result's channels are the inputs' one after the other; an input
    // without channels contributes channels that stay.
    ChannelDim result;
    result.dim = axis;
    for (auto [input, dim] : llvm::zip_equal(op.getInputs(), dims)) {
      if (dim && (dim->dim != axis || dim->outer != 1 || dim->inner != 1))
        return pinAll("'tensor.concat' joins channels of different layouts");
      if (dim) {
        llvm::append_range(result.ids, dim->ids);
        continue;
      }
      int64_t size = cast<RankedTensorType>(input.getType()).getDimSize(axis);
      if (ShapedType::isDynamic(size))
        return pinAll("'tensor.concat' joins them with a dynamic dim");
      SmallVector<int64_t> fixed = newIds(size);
      pin(fixed, "'tensor.concat' joins them with a tensor that has no "
                 "prunable channels");
      llvm::append_range(result.ids, fixed);
    }
    track(op.getResult(), std::move(result));
    graph.visited.push_back(op);
    return;
  }
  // Along another dim, every input must carry the same channels.
  const ChannelDim *first = dims.front();
  for (const ChannelDim *dim : dims)
    if (!dim || !first || dim->dim != first->dim ||
        dim->ids.size() != first->ids.size() || dim->outer != first->outer ||
        dim->inner != first->inner)
      return pinAll("'tensor.concat' joins them with other channels");
  for (const ChannelDim *dim : dims)
    unite(first->ids, dim->ids);
  track(op.getResult(), *first);
  graph.visited.push_back(op);
}

void ChannelGraphBuilder::visit(Operation *op) {
  if (auto linalgOp = dyn_cast<linalg::LinalgOp>(op))
    return visitLinalg(linalgOp);
  if (auto pad = dyn_cast<tensor::PadOp>(op))
    return visitPad(pad);
  if (auto collapse = dyn_cast<tensor::CollapseShapeOp>(op))
    return visitCollapse(collapse);
  if (auto expand = dyn_cast<tensor::ExpandShapeOp>(op))
    return visitExpand(expand);
  if (auto concat = dyn_cast<tensor::ConcatOp>(op))
    return visitConcat(concat);
  if (isa<func::ReturnOp>(op))
    return pinOperands(op, "they reach a function result");
  pinOperands(op, "used by " + opName(op) +
                      ", which channel pruning does not follow");
}

void ChannelGraphBuilder::finish() {
  for (auto &[id, reason] : pinList)
    graph.pins.try_emplace(graph.classOf(id), reason);
  for (auto &[id, filter] : filterList)
    graph.filters[graph.classOf(id)].push_back(filter);
}

ChannelGraph ChannelGraph::build(ModuleOp module) {
  ChannelGraph graph;
  ChannelGraphBuilder builder(graph);
  module.walk<WalkOrder::PreOrder>([&](Operation *op) {
    // Scalar ops (linalg bodies) carry no tensors.
    if (op->getNumOperands() == 0 && op->getNumResults() == 0)
      return;
    builder.visit(op);
  });
  builder.finish();
  return graph;
}

const ChannelDim *ChannelGraph::lookup(Value value) const {
  auto it = tracked.find(value);
  return it == tracked.end() ? nullptr : &it->second;
}

std::string ChannelGraph::pinReason(int64_t id) const {
  auto it = pins.find(classOf(id));
  return it == pins.end() ? std::string() : it->second;
}

ArrayRef<Filter> ChannelGraph::filtersOf(int64_t id) const {
  auto it = filters.find(classOf(id));
  return it == filters.end() ? ArrayRef<Filter>() : ArrayRef(it->second);
}

std::optional<std::vector<int64_t>> mlir::compress::pruning::keptIndices(
    const ChannelDim &dim, const ChannelGraph &graph,
    const std::function<bool(int64_t)> &removed) {
  auto channels = static_cast<int64_t>(dim.ids.size());
  SmallVector<bool> keep;
  bool any = false;
  for (int64_t id : dim.ids) {
    keep.push_back(!removed(graph.classOf(id)));
    any |= !keep.back();
  }
  if (!any)
    return std::nullopt;
  std::vector<int64_t> kept;
  for (int64_t p = 0, e = dim.extent(); p < e; ++p)
    if (keep[(p / dim.inner) % channels])
      kept.push_back(p);
  return kept;
}
