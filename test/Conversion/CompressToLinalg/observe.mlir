// RUN: compress-opt %s --convert-compress-to-linalg | FileCheck %s

// compress.observe becomes calls of the calibration runtime, with the key's
// index among the module's observe keys as the id.
// CHECK:       module attributes {compress.observe_keys = ["f/0", "f/1"]}
// CHECK-LABEL: func.func @f
// CHECK-SAME:  %[[X:.*]]: tensor<?x3xf32>, %[[Y:.*]]: tensor<2x2x2xf32>
// CHECK:       %[[ID0:.*]] = arith.constant 0 : i64
// CHECK:       %[[FLAT:.*]] = tensor.collapse_shape %[[X]] {{\[}}[0, 1]] : tensor<?x3xf32> into tensor<?xf32>
// CHECK:       call @compress_observe_range(%[[ID0]], %[[FLAT]]) : (i64, tensor<?xf32>) -> ()
// CHECK:       %[[M:.*]] = tensor.cast %[[X]] : tensor<?x3xf32> to tensor<?x?xf32>
// CHECK:       call @compress_observe_gram(%[[ID0]], %[[M]]) : (i64, tensor<?x?xf32>) -> ()
// CHECK:       %[[ID1:.*]] = arith.constant 1 : i64
// CHECK:       %[[FLAT1:.*]] = tensor.collapse_shape %[[Y]] {{\[}}[0, 1, 2]] : tensor<2x2x2xf32> into tensor<8xf32>
// CHECK:       %[[CAST1:.*]] = tensor.cast %[[FLAT1]] : tensor<8xf32> to tensor<?xf32>
// CHECK:       call @compress_observe_range(%[[ID1]], %[[CAST1]])
// CHECK-NOT:   compress_observe_gram(%[[ID1]]
// CHECK:       func.func private @compress_observe_range(i64, tensor<?xf32>) attributes {llvm.emit_c_interface}
// CHECK:       func.func private @compress_observe_gram(i64, tensor<?x?xf32>) attributes {llvm.emit_c_interface}
func.func @f(%x: tensor<?x3xf32>, %y: tensor<2x2x2xf32>) {
  compress.observe "f/0" %x : tensor<?x3xf32> gram %x : tensor<?x3xf32>
  compress.observe "f/1" %y : tensor<2x2x2xf32>
  return
}
