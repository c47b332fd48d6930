//===- CompressToLinalg.h - Compress to linalg conversion -------*- C++ -*-===//
//
// Patterns lowering compress-dialect ops to linalg, arith and math.
//
//===----------------------------------------------------------------------===//

#ifndef COMPRESS_CONVERSION_COMPRESSTOLINALG_COMPRESSTOLINALG_H
#define COMPRESS_CONVERSION_COMPRESSTOLINALG_COMPRESSTOLINALG_H

#include "llvm/ADT/StringRef.h"

namespace mlir {
class ModuleOp;
class RewritePatternSet;

namespace compress {

/// Module attribute listing the keys of compress.observe ops; a key's index
/// is the id passed to the calibration runtime.
constexpr llvm::StringLiteral kObserveKeysAttr = "compress.observe_keys";
/// Calibration runtime functions (C interface) called by lowered observers.
constexpr llvm::StringLiteral kObserveRangeFn = "compress_observe_range";
constexpr llvm::StringLiteral kObserveGramFn = "compress_observe_gram";

/// Assigns ids to the module's compress.observe keys and declares the
/// runtime functions; needed before the observe lowering pattern applies.
void prepareObserveLowering(ModuleOp module);

/// Adds the patterns that rewrite compress ops into linalg on tensors.
void populateCompressToLinalgConversionPatterns(RewritePatternSet &patterns);

} // namespace compress
} // namespace mlir

#endif // COMPRESS_CONVERSION_COMPRESSTOLINALG_COMPRESSTOLINALG_H
