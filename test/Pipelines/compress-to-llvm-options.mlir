// Invalid options of compress-to-llvm are errors with a clear message.

// RUN: not compress-opt %s '--compress-to-llvm=threads=0' 2>&1 | FileCheck %s --check-prefix=ZERO
// ZERO: error: compress-to-llvm: 'threads' must be at least 1

// RUN: not compress-opt %s '--compress-to-llvm=threads=65' 2>&1 | FileCheck %s --check-prefix=MANY
// MANY: error: compress-to-llvm: threads=65 is out of range (1 to 64)

// RUN: not compress-opt %s '--compress-to-llvm=threads=many' 2>&1 | FileCheck %s --check-prefix=NAN
// NAN: for the --threads option: 'many' value invalid for uint argument

// RUN: not compress-opt %s '--compress-to-llvm=cpu=pentium-pro-max' 2>&1 | FileCheck %s --check-prefix=CPU
// CPU: error: compress-to-llvm: unknown x86-64 CPU 'pentium-pro-max'

// RUN: not compress-opt %s '--compress-to-llvm=cpu=' 2>&1 | FileCheck %s --check-prefix=EMPTY
// EMPTY: error: compress-to-llvm: 'cpu' must not be empty

// RUN: not compress-opt %s '--compress-to-llvm=colour=blue' 2>&1 | FileCheck %s --check-prefix=UNKNOWN
// UNKNOWN: no such option colour

// RUN: not compress-opt %s '--pass-pipeline=builtin.module(compress-to-llvm{threads=100})' 2>&1 | FileCheck %s --check-prefix=TEXTUAL
// TEXTUAL: error: compress-to-llvm: threads=100 is out of range (1 to 64)

func.func @f(%x: f32) -> f32 {
  return %x : f32
}
