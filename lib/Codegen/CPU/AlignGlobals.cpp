//===- AlignGlobals.cpp - Cache-line aligned constant buffers -------------===//
//
// Implements --compress-align-globals: every memref.global gets at least the
// given alignment. Globals at any 4-byte boundary make about half of the
// 64-byte vector loads of a kernel split a cache line (measured: the same
// convolution 1.25 or 1.9 ms depending on where its weights landed). The
// compress-to-llvm pipeline gets the alignment from one-shot-bufferize
// (buffer-alignment=64, which also aligns the globals it creates); this pass
// is for memref-level input that brings its own globals.
//
//===----------------------------------------------------------------------===//

#include "compress/Codegen/Passes.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"

namespace mlir::compress {
#define GEN_PASS_DEF_COMPRESSALIGNGLOBALSPASS
#include "compress/Codegen/Passes.h.inc"

namespace {
/// The largest alignment the pass sets.
constexpr uint64_t kMaxAlignment = 4096;

struct CompressAlignGlobalsPass
    : impl::CompressAlignGlobalsPassBase<CompressAlignGlobalsPass> {
  using CompressAlignGlobalsPassBase::CompressAlignGlobalsPassBase;

  void runOnOperation() override {
    if (alignment == 0 || !llvm::isPowerOf2_64(alignment)) {
      getOperation().emitError("compress-align-globals: alignment must be a "
                               "power of two, got ")
          << static_cast<uint64_t>(alignment);
      return signalPassFailure();
    }
    // Larger values help no load (a page is the largest useful alignment),
    // and from 2^63 on they would not fit the signed i64 attribute.
    if (alignment > kMaxAlignment) {
      getOperation().emitError("compress-align-globals: alignment must be at "
                               "most ")
          << kMaxAlignment << " (a page), got "
          << static_cast<uint64_t>(alignment);
      return signalPassFailure();
    }
    Builder builder(&getContext());
    getOperation().walk([&](memref::GlobalOp global) {
      std::optional<uint64_t> current = global.getAlignment();
      if (!current || *current < alignment)
        global.setAlignmentAttr(builder.getI64IntegerAttr(alignment));
    });
  }
};
} // namespace
} // namespace mlir::compress
