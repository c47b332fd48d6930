// The bundled digits models lower with compress-opt --compress-to-llvm to
// LLVM dialect that translates to LLVM IR: @predict and its C interface
// wrapper @_mlir_ciface_predict are defined and carry a "target-cpu"
// attribute (the host CPU and its features by default, the given CPU with
// cpu=...), and the IR compiles ahead of time with llc.
//
// RUN: rm -rf %t && mkdir -p %t
// RUN: compress-opt %examples/digits/mlp.mlir --compress-to-llvm -o %t/mlp.mlir
// RUN: mlir-translate --mlir-to-llvmir %t/mlp.mlir -o %t/mlp.ll
// RUN: FileCheck %s --check-prefixes=CIFACE,NATIVE < %t/mlp.ll
// RUN: FileCheck %s --check-prefix=PREDICT < %t/mlp.ll
// RUN: llc -O2 -filetype=obj %t/mlp.ll -o %t/mlp.o
//
// RUN: compress-opt %examples/digits/cnn.mlir --compress-to-llvm -o %t/cnn.mlir
// RUN: mlir-translate --mlir-to-llvmir %t/cnn.mlir -o %t/cnn.ll
// RUN: FileCheck %s --check-prefixes=CIFACE,NATIVE < %t/cnn.ll
// RUN: FileCheck %s --check-prefix=PREDICT < %t/cnn.ll
// RUN: llc -O2 -filetype=obj %t/cnn.ll -o %t/cnn.o
//
// RUN: compress-opt %examples/digits/cnn.mlir --compress-to-llvm=cpu=x86-64-v3 \
// RUN:   | mlir-translate --mlir-to-llvmir | FileCheck %s --check-prefixes=CIFACE,EXPLICIT
// RUN: compress-opt %examples/digits/mlp.mlir --compress-to-llvm="cpu=x86-64 threads=1" \
// RUN:   | mlir-translate --mlir-to-llvmir | FileCheck %s --check-prefixes=CIFACE,GENERIC

// CIFACE: define void @_mlir_ciface_predict(ptr {{.*}}, ptr {{.*}}) #[[ATTRS:[0-9]+]] {
// CIFACE: attributes #[[ATTRS]] = {
// The host CPU comes with its feature list (x86-64 always has SSE2).
// NATIVE-SAME: "target-cpu"="{{[^"]+}}" "target-features"="{{[^"]*}}+sse2
// EXPLICIT-SAME: "target-cpu"="x86-64-v3"
// GENERIC-SAME: "target-cpu"="x86-64"{{[^-]}}

// PREDICT: define { ptr, ptr, i64, [2 x i64], [2 x i64] } @predict(ptr {{.*}}) #[[ATTRS:[0-9]+]] {
// PREDICT: attributes #[[ATTRS]] = { {{.*}}"target-cpu"="{{[^"]+}}"
