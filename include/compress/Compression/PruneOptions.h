//===- PruneOptions.h - Option types of compress-prune ----------*- C++ -*-===//
//
// The enum types of the compress-prune options (see Passes.td for their
// command-line spellings). Each uses EnumOptionParser, so an unknown value is
// an error that lists the accepted ones.
//
//===----------------------------------------------------------------------===//

#ifndef COMPRESS_COMPRESSION_PRUNEOPTIONS_H
#define COMPRESS_COMPRESSION_PRUNEOPTIONS_H

#include "compress/Utils/EnumOptionParser.h"

namespace mlir::compress {

/// `structure`: which sets of weights are removed together.
enum class PruneStructure { Unstructured, Block, NM, Channel };

/// `criterion`: the importance of a weight in magnitude pruning.
enum class PruneCriterion { L1, L2, Activation };

/// `scope`: one sparsity per layer, or one threshold over all layers.
enum class PruneScope { Layer, Global };

/// `method`: zero the least important weights, or choose and compensate
/// them with the calibration Gram matrices (least squares).
enum class PruneMethod { Magnitude, Reconstruct };

/// `solver`: how method=reconstruct chooses and compensates: greedy OBS
/// (exact updates, cubic in a row's length) or SparseGPT (one pass over
/// the columns), or by the layer's size.
enum class ReconstructSolver { Auto, OBS, SparseGPT };

} // namespace mlir::compress

namespace llvm::cl {
template <>
class parser<mlir::compress::PruneStructure>
    : public mlir::compress::EnumOptionParser<mlir::compress::PruneStructure> {
public:
  using EnumOptionParser::EnumOptionParser;
};

template <>
class parser<mlir::compress::PruneCriterion>
    : public mlir::compress::EnumOptionParser<mlir::compress::PruneCriterion> {
public:
  using EnumOptionParser::EnumOptionParser;
};

template <>
class parser<mlir::compress::PruneScope>
    : public mlir::compress::EnumOptionParser<mlir::compress::PruneScope> {
public:
  using EnumOptionParser::EnumOptionParser;
};

template <>
class parser<mlir::compress::ReconstructSolver>
    : public mlir::compress::EnumOptionParser<
          mlir::compress::ReconstructSolver> {
public:
  using EnumOptionParser::EnumOptionParser;
};

template <>
class parser<mlir::compress::PruneMethod>
    : public mlir::compress::EnumOptionParser<mlir::compress::PruneMethod> {
public:
  using EnumOptionParser::EnumOptionParser;
};
} // namespace llvm::cl

#endif // COMPRESS_COMPRESSION_PRUNEOPTIONS_H
