//===- CompressDialect.cpp - Compress dialect -----------------------------===//
//
// Registers the attributes and operations of the compress dialect.
//
//===----------------------------------------------------------------------===//

#include "compress/Dialect/Compress/IR/CompressDialect.h"
#include "compress/Dialect/Compress/IR/CompressAttrs.h"
#include "compress/Dialect/Compress/IR/CompressOps.h"

using namespace mlir;
using namespace mlir::compress;

#include "compress/Dialect/Compress/IR/CompressOpsDialect.cpp.inc"

void CompressDialect::initialize() {
  registerAttributes();
  addOperations<
#define GET_OP_LIST
#include "compress/Dialect/Compress/IR/CompressOps.cpp.inc"
      >();
}
