// compress-run fails with a message (exit code 1, no crash) on invalid
// --compress-to-llvm-options or -O levels, and when lowering, JIT
// compilation or symbol resolution fails.
//
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python -c "import numpy as np; np.save('%t/x.npy', np.float32(1))"

// Options the compress-to-llvm pipeline rejects when it is built.
// RUN: not compress-run %s -e f --input %t/x.npy --compress-to-llvm-options=threads=0 2>&1 \
// RUN:   | FileCheck %s --check-prefix=THREADS0
// THREADS0: compress-to-llvm: 'threads' must be at least 1
// THREADS0: compress-run: error: invalid --compress-to-llvm-options 'threads=0'
// RUN: not compress-run %s -e f --input %t/x.npy --compress-to-llvm-options=threads=99 2>&1 \
// RUN:   | FileCheck %s --check-prefix=THREADS2
// THREADS2: compress-to-llvm: threads=99 is out of range (1 to 64)
// THREADS2: compress-run: error: invalid --compress-to-llvm-options 'threads=99'
// RUN: not compress-run %s -e f --input %t/x.npy --compress-to-llvm-options=threads=abc 2>&1 \
// RUN:   | FileCheck %s --check-prefix=THREADS-ABC
// THREADS-ABC: 'abc' value invalid for uint argument
// THREADS-ABC: compress-run: error: invalid --compress-to-llvm-options 'threads=abc'
// RUN: not compress-run %s -e f --input %t/x.npy --compress-to-llvm-options=unknownopt=1 2>&1 \
// RUN:   | FileCheck %s --check-prefix=UNKNOWN
// UNKNOWN: no such option unknownopt
// UNKNOWN: compress-run: error: invalid --compress-to-llvm-options 'unknownopt=1'
// RUN: not compress-run %s -e f --input %t/x.npy --compress-to-llvm-options=cpu= 2>&1 \
// RUN:   | FileCheck %s --check-prefix=EMPTY-CPU
// EMPTY-CPU: compress-to-llvm: 'cpu' must not be empty
// EMPTY-CPU: compress-run: error: invalid --compress-to-llvm-options 'cpu='
// RUN: not compress-run %s -e f --input %t/x.npy "--compress-to-llvm-options=cpu=x86-64 }" 2>&1 \
// RUN:   | FileCheck %s --check-prefix=BRACE
// BRACE: compress-run: error: invalid --compress-to-llvm-options 'cpu=x86-64 }'

// An unknown CPU is found when the options are checked.
// RUN: not compress-run %s -e f --input %t/x.npy --compress-to-llvm-options=cpu=notacpu 2>&1 \
// RUN:   | FileCheck %s --check-prefix=BAD-CPU
// BAD-CPU: compress-to-llvm: unknown x86-64 CPU 'notacpu'
// BAD-CPU: compress-run: error: invalid --compress-to-llvm-options 'cpu=notacpu'

// -O accepts 0 to 3.
// RUN: not compress-run %s -e f --input %t/x.npy -O 7 2>&1 | FileCheck %s --check-prefix=OPT
// RUN: not compress-run %s -e f --input %t/x.npy -O4 2>&1 | FileCheck %s --check-prefix=OPT
// OPT: compress-run: error: -O must be 0, 1, 2 or 3

func.func @f(%x: f32) -> f32 {
  %r = arith.addf %x, %x : f32
  return %r : f32
}

// Lowering fails: one-shot bufferization of this module needs a clone of a
// strided memref, which compress-to-llvm cannot lower.
// RUN: echo "func.func @g(%%a: memref<2xf32>) -> memref<1xf32, strided<[1], offset: 1>> { \
// RUN:   %%s = memref.subview %%a[1] [1] [1] : memref<2xf32> to memref<1xf32, strided<[1], offset: 1>> \
// RUN:   return %%s : memref<1xf32, strided<[1], offset: 1>> } \
// RUN:   func.func @f(%%x: f32) -> f32 { return %%x : f32 }" > %t/unlowerable.mlir
// RUN: not compress-run %t/unlowerable.mlir -e f --input %t/x.npy 2>&1 | FileCheck %s --check-prefix=LOWERING
// LOWERING: error: failed to legalize operation 'bufferization.clone'
// LOWERING: compress-run: error: lowering '{{.*}}unlowerable.mlir' to LLVM failed

// A symbol that is neither defined nor in the loaded libraries.
// RUN: echo "func.func private @not_a_real_symbol(f32) -> f32 \
// RUN:   func.func @f(%%x: f32) -> f32 { \
// RUN:   %%r = call @not_a_real_symbol(%%x) : (f32) -> f32  return %%r : f32 }" > %t/undefined.mlir
// RUN: not compress-run %t/undefined.mlir -e f --input %t/x.npy 2>&1 | FileCheck %s --check-prefix=UNDEFINED
// UNDEFINED: Symbols not found: [ not_a_real_symbol ]
// UNDEFINED: compress-run: error: calling '@f' failed: {{.+}}
