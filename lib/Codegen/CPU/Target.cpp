//===- Target.cpp - What the target CPU offers code generation ------------===//

#include "compress/Codegen/Target.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/TargetParser/Host.h"
#include "llvm/TargetParser/X86TargetParser.h"

using namespace mlir;
using namespace mlir::compress;

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
  return target;
}
