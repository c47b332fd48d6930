//===- Target.h - What the target CPU offers code generation ----*- C++ -*-===//
//
// Resolves the `cpu=` option ("native" or an LLVM x86-64 CPU name) to the
// vector features code generation chooses kernels by.
//
//===----------------------------------------------------------------------===//

#ifndef COMPRESS_CODEGEN_TARGET_H
#define COMPRESS_CODEGEN_TARGET_H

#include "mlir/Support/LLVM.h"
#include "llvm/ADT/StringRef.h"

#include <string>

namespace mlir::compress {

/// The target CPU and the features the kernels use.
struct TargetCPU {
  /// LLVM CPU name (the host's name for "native").
  std::string name;
  /// Comma-separated "+feature" list; set for "native" only (a named CPU
  /// implies its features).
  std::string features;
  bool avx512 = false;     // avx512f: 512-bit vectors
  bool avx512VNNI = false; // vpdpbusd on 512-bit vectors
  bool avx512BF16 = false; // vdpbf16ps
  bool avx2 = false;
  bool fma = false;

  /// Bits per vector register the kernels use (512 or 256).
  unsigned vectorBits() const { return avx512 ? 512 : 256; }
};

/// Resolves `cpu` ("native" or an x86-64 CPU name). Fails with a message in
/// `error` for an empty or unknown name.
FailureOr<TargetCPU> resolveTargetCPU(llvm::StringRef cpu, std::string &error);

} // namespace mlir::compress

#endif // COMPRESS_CODEGEN_TARGET_H
