// RUN: compress-opt %s --pass-pipeline='builtin.module(func.func(compress-emit-c-interface))' | FileCheck %s

// CHECK-LABEL: func.func @public_definition
// CHECK-SAME: attributes {llvm.emit_c_interface}
func.func @public_definition(%x: tensor<4xf32>) -> tensor<4xf32> {
  return %x : tensor<4xf32>
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
