//===- Target.cpp - What the target CPU offers code generation ------------===//

#include "compress/Codegen/Target.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/TargetParser/Host.h"
#include "llvm/TargetParser/X86TargetParser.h"

using namespace mlir;
using namespace mlir::compress;

namespace {
/// Data caches of one core.
struct CacheSizes {
  int64_t l1d;
  int64_t l2;
};
} // namespace

static constexpr int64_t kKiB = 1024;
static constexpr int64_t kMiB = 1024 * kKiB;

/// The L1d and L2 of one core of `kind` (vendor documentation); 32 KiB and
/// 1 MiB for CPUs not listed (generic targets such as x86-64-v3 included).
static CacheSizes cacheSizes(llvm::X86::CPUKind kind) {
  using namespace llvm::X86;
  switch (kind) {
  case CK_Haswell:
  case CK_Broadwell:
  case CK_SkylakeClient:
  case CK_Cannonlake:
    return {32 * kKiB, 256 * kKiB};
  case CK_SkylakeServer:
  case CK_Cascadelake:
  case CK_Cooperlake:
    return {32 * kKiB, 1 * kMiB};
  case CK_IcelakeClient:
  case CK_Rocketlake:
    return {48 * kKiB, 512 * kKiB};
  case CK_IcelakeServer:
  case CK_Tigerlake:
  case CK_Alderlake:
    return {48 * kKiB, 1280 * kKiB};
  case CK_SapphireRapids:
  case CK_Emeraldrapids:
  case CK_Graniterapids:
  case CK_GraniterapidsD:
  case CK_Raptorlake:
  case CK_Meteorlake:
    return {48 * kKiB, 2 * kMiB};
  case CK_ZNVER1:
  case CK_ZNVER2:
  case CK_ZNVER3:
    return {32 * kKiB, 512 * kKiB};
  case CK_ZNVER4:
    return {32 * kKiB, 1 * kMiB};
  case CK_ZNVER5:
    return {48 * kKiB, 1 * kMiB};
  default:
    return {32 * kKiB, 1 * kMiB};
  }
}

FailureOr<TargetCPU> mlir::compress::resolveTargetCPU(llvm::StringRef cpu,
                                                      std::string &error) {
  TargetCPU target;
  llvm::StringMap<bool> enabled;
  if (cpu.empty()) {
    error = "'cpu' must not be empty";
    return failure();
  }
  if (cpu == "native") {
    target.name = llvm::sys::getHostCPUName().str();
    SmallVector<std::string> list;
    for (const auto &feature : llvm::sys::getHostCPUFeatures()) {
      enabled[feature.first()] = feature.second;
      if (feature.second)
        list.push_back("+" + feature.first().str());
    }
    llvm::sort(list);
    target.features = llvm::join(list, ",");
  } else {
    if (llvm::X86::parseArchX86(cpu, /*Only64Bit=*/true) ==
        llvm::X86::CK_None) {
      error = ("unknown x86-64 CPU '" + cpu +
               "' (use 'native' or a name such as 'znver4', "
               "'skylake-avx512' or 'x86-64-v3')")
                  .str();
      return failure();
    }
    target.name = cpu.str();
    SmallVector<StringRef> features;
    llvm::X86::getFeaturesForCPU(cpu, features, /*NeedPlus=*/false);
    for (StringRef feature : features)
      enabled[feature] = true;
  }
  target.avx512 = enabled.lookup("avx512f");
  target.avx512VNNI = target.avx512 && enabled.lookup("avx512vnni");
  target.avx512BF16 = target.avx512 && enabled.lookup("avx512bf16");
  target.avx2 = enabled.lookup("avx2");
  target.fma = enabled.lookup("fma");
  CacheSizes caches = cacheSizes(llvm::X86::parseArchX86(target.name));
  target.l1dBytes = caches.l1d;
  target.l2Bytes = caches.l2;
  return target;
}
