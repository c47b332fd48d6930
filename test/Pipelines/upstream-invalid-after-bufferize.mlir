// RUN: not compress-opt %s --compress-to-llvm -o /dev/null 2>&1 | FileCheck %s

// Found by fuzzing: tensor.expand_shape accepts a static output_shape entry
// (33) that contradicts its result type (3), and one-shot-bufferize turns it
// into a memref.expand_shape that does not verify. An upstream defect; the
// pass manager's verifier reports it at the op and compress-opt exits with
// an error (the fuzzer keeps such inputs as upstream findings).
// CHECK: upstream-invalid-after-bufferize.mlir:[[@LINE+5]]:8: error: 'memref.expand_shape' op invalid output shape provided at pos 1
func.func @reshape_dynamic(%a: tensor<?x2x3xf32>) -> tensor<?x3x2xf32> {
  %c0 = arith.constant 0 : index
  %n = tensor.dim %a, %c0 : tensor<?x2x3xf32>
  %flat = tensor.collapse_shape %a [[0], [1, 2]] : tensor<?x2x3xf32> into tensor<?x6xf32>
  %r = tensor.expand_shape %flat [[0], [1, 2]] output_shape [%n, 33, 2] : tensor<?x6xf32> into tensor<?x3x2xf32>
  return %r : tensor<?x3x2xf32>
}
