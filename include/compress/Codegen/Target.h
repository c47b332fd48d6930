//===- Target.h - What the target CPU offers code generation ----*- C++ -*-===//
//
// Resolves the `cpu=` option ("native" or an LLVM x86-64 CPU name) to the
// facts code generation plans kernels by: vector features, the vector
// register file, and the data caches of one core.
//
//===----------------------------------------------------------------------===//

#ifndef COMPRESS_CODEGEN_TARGET_H
#define COMPRESS_CODEGEN_TARGET_H

#include "mlir/Support/LLVM.h"
#include "llvm/ADT/StringRef.h"

#include <cstdint>
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
  /// Level-1 data cache of one core, in bytes.
  int64_t l1dBytes = 32 * 1024;
  /// Level-2 cache of one core, in bytes.
  int64_t l2Bytes = 1024 * 1024;

  /// Bits per vector register the kernels use (512 or 256).
  unsigned vectorBits() const { return avx512 ? 512 : 256; }
  /// Elements of `elementBits` bits per vector register.
  unsigned lanes(unsigned elementBits) const {
    return vectorBits() / elementBits;
  }
  /// Architectural vector registers (zmm0-31 with AVX-512, else ymm0-15).
  unsigned vectorRegisters() const { return avx512 ? 32 : 16; }
};

/// Resolves `cpu` ("native" or an x86-64 CPU name). Fails with a message in
/// `error` for an empty or unknown name. Cache sizes come from a table of
/// CPU families (LLVM has no query for the host's caches, so "native" looks
/// up the host's CPU name); CPUs not in the table get 32 KiB L1d and 1 MiB
/// L2.
FailureOr<TargetCPU> resolveTargetCPU(llvm::StringRef cpu, std::string &error);

} // namespace mlir::compress

#endif // COMPRESS_CODEGEN_TARGET_H
