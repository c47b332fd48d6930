//===- CompressToLinalg.h - Compress to linalg conversion -------*- C++ -*-===//
//
// Patterns lowering compress-dialect ops to linalg, arith and math.
//
//===----------------------------------------------------------------------===//

#ifndef COMPRESS_CONVERSION_COMPRESSTOLINALG_COMPRESSTOLINALG_H
#define COMPRESS_CONVERSION_COMPRESSTOLINALG_COMPRESSTOLINALG_H

namespace mlir {
class RewritePatternSet;

namespace compress {

/// Adds the patterns that rewrite compress ops into linalg on tensors.
void populateCompressToLinalgConversionPatterns(RewritePatternSet &patterns);

} // namespace compress
} // namespace mlir

#endif // COMPRESS_CONVERSION_COMPRESSTOLINALG_COMPRESSTOLINALG_H
