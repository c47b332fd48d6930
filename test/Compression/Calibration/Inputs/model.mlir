// A model with two observed layers for the calibration store tests:
// f/0 is the matmul on x (2 columns), f/1 the matmul on relu(x W) (3 columns).
func.func @f(%x: tensor<?x2xf32>) -> tensor<?x1xf32> {
  %w0 = arith.constant dense<[[1.0, -1.0, 2.0], [0.5, 1.0, -1.0]]> : tensor<2x3xf32>
  %w1 = arith.constant dense<[[1.0], [2.0], [-1.0]]> : tensor<3x1xf32>
  %c0 = arith.constant 0 : index
  %n = tensor.dim %x, %c0 : tensor<?x2xf32>
  %zero = arith.constant 0.0 : f32
  %e0 = tensor.empty(%n) : tensor<?x3xf32>
  %i0 = linalg.fill ins(%zero : f32) outs(%e0 : tensor<?x3xf32>) -> tensor<?x3xf32>
  %h = linalg.matmul ins(%x, %w0 : tensor<?x2xf32>, tensor<2x3xf32>) outs(%i0 : tensor<?x3xf32>) -> tensor<?x3xf32>
  %r = linalg.max ins(%h, %i0 : tensor<?x3xf32>, tensor<?x3xf32>) outs(%e0 : tensor<?x3xf32>) -> tensor<?x3xf32>
  %e1 = tensor.empty(%n) : tensor<?x1xf32>
  %i1 = linalg.fill ins(%zero : f32) outs(%e1 : tensor<?x1xf32>) -> tensor<?x1xf32>
  %y = linalg.matmul ins(%r, %w1 : tensor<?x3xf32>, tensor<3x1xf32>) outs(%i1 : tensor<?x1xf32>) -> tensor<?x1xf32>
  return %y : tensor<?x1xf32>
}
