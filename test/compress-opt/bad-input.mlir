// Malformed IR, unknown ops and wrong pass options are diagnosed with a
// location and a non-zero exit code.

// RUN: split-file %s %t

// RUN: not compress-opt %t/malformed.mlir 2>&1 | FileCheck %s --check-prefix=MALFORMED
// MALFORMED: malformed.mlir:1:16: error: expected ':'
//--- malformed.mlir
func.func @f(%x
}

// RUN: not compress-opt %t/unknown-op.mlir 2>&1 | FileCheck %s --check-prefix=UNKNOWN-OP
// UNKNOWN-OP: unknown-op.mlir:2:8: error: custom op 'compress.shrink' is unknown
//--- unknown-op.mlir
func.func @f(%x: tensor<4xf32>) -> tensor<4xf32> {
  %y = compress.shrink %x : tensor<4xf32>
  return %y : tensor<4xf32>
}

// RUN: not compress-opt %t/unregistered.mlir 2>&1 | FileCheck %s --check-prefix=UNREGISTERED
// UNREGISTERED: unregistered.mlir:2:17: error: operation being parsed with an unregistered dialect
//--- unregistered.mlir
func.func @f(%x: f32) -> f32 {
  %y = "acme.op"(%x) : (f32) -> f32
  return %y : f32
}

// RUN: not compress-opt %t/type-error.mlir 2>&1 | FileCheck %s --check-prefix=TYPE-ERROR
// TYPE-ERROR: type-error.mlir:2:10: error: use of value '%x' expects different type than prior uses: 'tensor<4xf32>' vs 'f32'
//--- type-error.mlir
func.func @f(%x: f32) -> tensor<4xf32> {
  return %x : tensor<4xf32>
}

// RUN: not compress-opt %t/valid.mlir --compress-unknown-pass 2>&1 | FileCheck %s --check-prefix=UNKNOWN-PASS
// UNKNOWN-PASS: Unknown command line argument '--compress-unknown-pass'

// RUN: not compress-opt %t/valid.mlir --pass-pipeline='builtin.module(func.func(compress-emit-c-interface{bogus=1}))' 2>&1 | FileCheck %s --check-prefix=BAD-OPTION
// BAD-OPTION: no such option bogus

// RUN: not compress-opt %t/missing-file.mlir 2>&1 | FileCheck %s --check-prefix=MISSING
// MISSING: cannot open input file '{{.*}}missing-file.mlir': No such file or directory

//--- valid.mlir
func.func @f(%x: f32) -> f32 {
  return %x : f32
}
