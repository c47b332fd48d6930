// RUN: compress-opt %s --pass-pipeline='builtin.module(func.func(compress-emit-c-interface))' | FileCheck %s

// Tensor arguments become read-only (an explicit writable = true too);
// scalars and memrefs keep their attributes.
// CHECK-LABEL: func.func @public_definition
// CHECK-SAME: (%{{.*}}: tensor<4xf32> {bufferization.writable = false},
// CHECK-SAME: %{{.*}}: tensor<?x3xi8> {bufferization.writable = false},
// CHECK-SAME: %{{.*}}: f32, %{{.*}}: memref<4xf32>)
// CHECK-SAME: attributes {llvm.emit_c_interface}
func.func @public_definition(%x: tensor<4xf32>,
    %y: tensor<?x3xi8> {bufferization.writable = true}, %s: f32,
    %m: memref<4xf32>) -> tensor<4xf32> {
  return %x : tensor<4xf32>
}

// In the whole pipeline, an in-place update of an argument writes into a
// new buffer, never the caller's.
// RUN: compress-opt %s --pass-pipeline='builtin.module(func.func(compress-emit-c-interface),one-shot-bufferize{bufferize-function-boundaries})' | FileCheck %s --check-prefix=BUFFERS
// BUFFERS-LABEL: func.func @update_in_place
// BUFFERS-SAME: (%[[X:.*]]: memref<4xf32
// BUFFERS: %[[NEW:.*]] = memref.alloc
// BUFFERS: memref.copy %[[X]], %[[NEW]]
// BUFFERS: memref.store %{{.*}}, %[[NEW]]
// BUFFERS-NOT: memref.store %{{.*}}, %[[X]]
func.func @update_in_place(%x: tensor<4xf32>, %v: f32) -> tensor<4xf32> {
  %c0 = arith.constant 0 : index
  %0 = tensor.insert %v into %x[%c0] : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// Private functions and declarations keep their attributes.
// CHECK-LABEL: func.func private @negative_private
// CHECK-NOT: llvm.emit_c_interface
// CHECK: return
func.func private @negative_private(%x: f32) -> f32 {
  return %x : f32
}

// CHECK-LABEL: func.func private @negative_declaration(f32)
// CHECK-NOT: llvm.emit_c_interface
func.func private @negative_declaration(f32)

// Already marked: unchanged.
// CHECK-LABEL: func.func @already_marked
// CHECK-SAME: attributes {llvm.emit_c_interface}
func.func @already_marked() attributes {llvm.emit_c_interface} {
  return
}
