//===- CompressDialect.cpp - Compress dialect -----------------------------===//
//
// Registers the attributes and operations of the compress dialect.
//
//===----------------------------------------------------------------------===//

#include "compress/Dialect/Compress/IR/CompressDialect.h"
#include "compress/Dialect/Compress/IR/CompressAttrs.h"
#include "compress/Dialect/Compress/IR/CompressCodegenOps.h"
#include "compress/Dialect/Compress/IR/CompressOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"

using namespace mlir;
using namespace mlir::compress;

#include "compress/Dialect/Compress/IR/CompressOpsDialect.cpp.inc"

void CompressDialect::initialize() {
  registerAttributes();
  addOperations<
#define GET_OP_LIST
#include "compress/Dialect/Compress/IR/CompressOps.cpp.inc"
      >();
  addOperations<
#define GET_OP_LIST
#include "compress/Dialect/Compress/IR/CompressCodegenOps.cpp.inc"
      >();
}

Operation *CompressDialect::materializeConstant(OpBuilder &builder,
                                                Attribute value, Type type,
                                                Location loc) {
  return arith::ConstantOp::materialize(builder, value, type, loc);
}
