//===- Compressible.cpp - Ops the compression passes work on --------------===//
//
// Implements the op selection and weight analysis shared by the compression
// passes.
//
//===----------------------------------------------------------------------===//

#include "compress/Compression/Compressible.h"
#include "compress/Compression/Calibration/CalibrationStore.h"
#include "mlir/Dialect/Linalg/IR/LinalgInterfaces.h"

using namespace mlir;
using namespace mlir::compress;

bool mlir::compress::isCompressibleOp(linalg::LinalgOp op) {
  if (!op.hasPureTensorSemantics() || op.getNumDpsInputs() < 2)
    return false;
  if (op->getName().getStringRef().starts_with("linalg.pooling_"))
    return false;
  return linalg::isaContractionOpInterface(op) ||
         linalg::isaConvolutionOpInterface(op);
}

void mlir::compress::forEachCompressibleOp(
    ModuleOp module,
    function_ref<void(linalg::LinalgOp op, StringRef key)> fn) {
  for (auto func : module.getOps<func::FuncOp>()) {
    SmallVector<linalg::LinalgOp> ops;
    func.walk([&](linalg::LinalgOp op) {
      if (isCompressibleOp(op))
        ops.push_back(op);
    });
    for (auto [i, op] : llvm::enumerate(ops)) {
      std::string key = (func.getSymName() + "/" + Twine(i)).str();
      fn(op, key);
    }
  }
}

FailureOr<std::optional<llvm::StringSet<>>>
mlir::compress::selectOps(ModuleOp module, ArrayRef<std::string> keys,
                          StringRef pass) {
  if (keys.empty())
    return std::optional<llvm::StringSet<>>();
  llvm::StringSet<> known;
  std::string list;
  forEachCompressibleOp(module, [&](linalg::LinalgOp, StringRef key) {
    known.insert(key);
    list += (list.empty() ? "" : ", ") + key.str();
  });
  llvm::StringSet<> selected;
  for (const std::string &key : keys) {
    if (!known.contains(key)) {
      module.emitError() << pass << ": ops names '" << key
                         << "', which is not a compressible op (the keys are "
                         << (list.empty() ? "none" : list) << ")";
      return failure();
    }
    selected.insert(key);
  }
  return std::optional<llvm::StringSet<>>(std::move(selected));
}

std::optional<WeightLayout>
mlir::compress::analyzeWeight(linalg::LinalgOp op, unsigned weightOperand) {
  AffineMap weightMap =
      op.getMatchingIndexingMap(&op->getOpOperand(weightOperand));
  AffineMap outputMap = op.getMatchingIndexingMap(op.getDpsInitOperand(0));
  SmallVector<utils::IteratorType> iterators = op.getIteratorTypesArray();
  WeightLayout layout;
  for (AffineExpr expr : weightMap.getResults()) {
    auto dim = dyn_cast<AffineDimExpr>(expr);
    if (!dim)
      return std::nullopt;
    unsigned loop = dim.getPosition();
    layout.loops.push_back(loop);
    bool parallel = iterators[loop] == utils::IteratorType::parallel;
    layout.parallel.push_back(parallel);
    int64_t position = -1;
    if (parallel) {
      for (auto [i, out] : llvm::enumerate(outputMap.getResults()))
        if (auto outDim = dyn_cast<AffineDimExpr>(out))
          if (outDim.getPosition() == loop)
            position = i;
      if (position < 0)
        return std::nullopt;
      layout.channelAxis = layout.loops.size() - 1;
    }
    layout.outputPosition.push_back(position);
  }
  return layout;
}

FailureOr<std::vector<double>>
mlir::compress::readLayerGram(const calibration::Store &store,
                              linalg::LinalgOp op, StringRef key, int64_t size,
                              StringRef pass) {
  auto fail = [&](const Twine &message) {
    return op->emitError() << pass << ": " << op->getName() << " (" << key
                           << "): " << message;
  };
  const calibration::TensorStats *stats = store.lookup(key);
  if (!stats || !stats->gram)
    return fail("the calibration file '" + Twine(store.path()) +
                "' has no Gram matrix for it (record one with "
                "compress-instrument gram=true)");
  if (stats->gram->size != size)
    return fail("the calibration file's Gram matrix is " +
                Twine(stats->gram->size) + " x " + Twine(stats->gram->size) +
                ", the op reduces over " + Twine(size) + " input elements");
  llvm::Expected<std::vector<double>> gram = store.readGram(key);
  if (!gram) {
    (void)fail(llvm::toString(gram.takeError()));
    return failure();
  }
  return std::move(*gram);
}

void mlir::compress::eraseReplacedWeights(ArrayRef<Operation *> weights) {
  for (Operation *weight : weights)
    if (weight->use_empty())
      weight->erase();
}
