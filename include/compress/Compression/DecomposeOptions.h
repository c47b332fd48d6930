//===- DecomposeOptions.h - Option types of compress-cp-decompose -*- C++ -*-=//
//
// The enum types of the compress-cp-decompose options (see Passes.td for
// their command-line spellings). Each uses EnumOptionParser, so an unknown
// value is an error that lists the accepted ones.
//
//===----------------------------------------------------------------------===//

#ifndef COMPRESS_COMPRESSION_DECOMPOSEOPTIONS_H
#define COMPRESS_COMPRESSION_DECOMPOSEOPTIONS_H

#include "compress/Utils/EnumOptionParser.h"

namespace mlir::compress {

/// `method`: the factorization. `svd`: a K x N matmul weight as two thin
/// matmuls (K x r, r x N). `tucker2`: a convolution as 1x1 (C -> R1), kh x
/// kw (R1 -> R2) and 1x1 (R2 -> F) convolutions. `cp`: a convolution as
/// 1x1 (C -> R), depthwise kh x 1, depthwise 1 x kw and 1x1 (R -> F)
/// convolutions.
enum class DecomposeMethod { SVD, Tucker2, CP };

} // namespace mlir::compress

namespace llvm::cl {
template <>
class parser<mlir::compress::DecomposeMethod>
    : public mlir::compress::EnumOptionParser<mlir::compress::DecomposeMethod> {
public:
  using EnumOptionParser::EnumOptionParser;
};
} // namespace llvm::cl

#endif // COMPRESS_COMPRESSION_DECOMPOSEOPTIONS_H
