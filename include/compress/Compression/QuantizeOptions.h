//===- QuantizeOptions.h - Option types of compress-quantize ----*- C++ -*-===//
//
// The enum types of the compress-quantize options (see Passes.td for their
// command-line spellings). Each uses EnumOptionParser, so an unknown value is
// an error that lists the accepted ones.
//
//===----------------------------------------------------------------------===//

#ifndef COMPRESS_COMPRESSION_QUANTIZEOPTIONS_H
#define COMPRESS_COMPRESSION_QUANTIZEOPTIONS_H

#include "compress/Dialect/Compress/IR/CompressAttrs.h"
#include "compress/Utils/EnumOptionParser.h"

namespace mlir::compress {

/// `granularity`: how many parameter sets a weight gets.
enum class QuantGranularity { PerTensor, PerChannel, PerGroup };

/// `mode`: what is quantized.
enum class QuantMode { WeightOnly, Static, Dynamic };

/// `calibration-method`: which calibrated range static quantization reads.
enum class CalibrationMethod { MinMax, Percentile, Entropy };

/// `float-type`: half-precision weight storage instead of integer codes.
enum class WeightFloatType { None, FP16, BF16 };

} // namespace mlir::compress

namespace llvm::cl {
template <>
class parser<mlir::compress::QuantGranularity>
    : public mlir::compress::EnumOptionParser<
          mlir::compress::QuantGranularity> {
public:
  using EnumOptionParser::EnumOptionParser;
};

template <>
class parser<mlir::compress::QuantMode>
    : public mlir::compress::EnumOptionParser<mlir::compress::QuantMode> {
public:
  using EnumOptionParser::EnumOptionParser;
};

template <>
class parser<mlir::compress::CalibrationMethod>
    : public mlir::compress::EnumOptionParser<
          mlir::compress::CalibrationMethod> {
public:
  using EnumOptionParser::EnumOptionParser;
};

template <>
class parser<mlir::compress::WeightFloatType>
    : public mlir::compress::EnumOptionParser<mlir::compress::WeightFloatType> {
public:
  using EnumOptionParser::EnumOptionParser;
};

/// `scheme` takes the dialect's QuantScheme (uniform or log2).
template <>
class parser<mlir::compress::QuantScheme>
    : public mlir::compress::EnumOptionParser<mlir::compress::QuantScheme> {
public:
  using EnumOptionParser::EnumOptionParser;
};
} // namespace llvm::cl

#endif // COMPRESS_COMPRESSION_QUANTIZEOPTIONS_H
