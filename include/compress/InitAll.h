//===- InitAll.h - Register everything compress provides --------*- C++ -*-===//
//
// One place for tools to register the compress dialect, its passes and
// pipelines.
//
//===----------------------------------------------------------------------===//

#ifndef COMPRESS_INITALL_H
#define COMPRESS_INITALL_H

namespace mlir {
class DialectRegistry;

namespace compress {

/// Inserts the compress dialect into `registry`.
void registerAllDialects(DialectRegistry &registry);

/// Registers every compress pass and pipeline with the global registry.
void registerAllPasses();

} // namespace compress
} // namespace mlir

#endif // COMPRESS_INITALL_H
