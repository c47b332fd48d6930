// RUN: compress-opt %s --compress-set-target-cpu=cpu=znver4 | FileCheck %s --check-prefix=ZEN4
// RUN: compress-opt %s --compress-set-target-cpu | FileCheck %s --check-prefix=NATIVE
// RUN: not compress-opt %s --compress-set-target-cpu=cpu=not-a-cpu 2>&1 | FileCheck %s --check-prefix=BAD
// RUN: not compress-opt %s '--compress-set-target-cpu=cpu=' 2>&1 | FileCheck %s --check-prefix=EMPTY

// ZEN4-LABEL: llvm.func @kernel
// ZEN4-SAME: target_cpu = "znver4"
// ZEN4-NOT: target_features
// NATIVE-LABEL: llvm.func @kernel
// NATIVE-SAME: target_cpu = "{{[^"]+}}"
// NATIVE-SAME: target_features = #llvm.target_features<[{{.*}}"+sse2"
llvm.func @kernel() {
  llvm.return
}

// Declarations are not changed.
// ZEN4: llvm.func @external()
// ZEN4-NOT: target_cpu
llvm.func @external()

// BAD-NOT: not a recognized processor
// BAD: error: compress-set-target-cpu: unknown x86-64 CPU 'not-a-cpu'
// EMPTY: error: compress-set-target-cpu: 'cpu' must not be empty
