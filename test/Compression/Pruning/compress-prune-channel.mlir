// compress-prune structure=channel: whole output channels leave their
// producer (a convolution's or matmul's weight rows), every op that carries
// them (bias, batch norm, relu, padding, pooling, reshapes, depthwise
// convolutions, residual adds, concats) and the weight of the op that
// reduces them; the tensors shrink. Channels joined by a residual add are
// one group and go together; each producer records what happened in
// compress.pruned, and channels that cannot go (a function result, an op
// the pass does not follow) say why there.
//
// RUN: compress-opt %s -split-input-file --compress-prune="structure=channel sparsity=0.25" 2>%t.err | FileCheck %s
// RUN: FileCheck %s --check-prefix=WARN < %t.err
// RUN: compress-opt %s -split-input-file --compress-prune="structure=channel sparsity=0.5" 2>/dev/null | FileCheck %s --check-prefix=HALF
// RUN: compress-opt %s -split-input-file --compress-prune="structure=channel sparsity=0" 2>/dev/null | FileCheck %s --check-prefix=NONE
// RUN: compress-opt %s -split-input-file --compress-prune="structure=channel sparsity=0.25 scope=global" 2>/dev/null | FileCheck %s --check-prefix=GLOBAL
// compress-report shows what happened to each producer:
// RUN: compress-opt %s -split-input-file --compress-prune="structure=channel sparsity=0.25" --compress-report -o /dev/null 2>&1 | FileCheck %s --check-prefix=REPORT
// REPORT:      "pruned": {
// REPORT-NEXT:   "channels": 4,
// REPORT-NEXT:   "removed": 1,
// REPORT-NEXT:   "structure": "channel"
// REPORT-NEXT: },
// REPORT:      "pruned": {
// REPORT-NEXT:   "channels": 2,
// REPORT-NEXT:   "kept_because": "they reach a function result",
// REPORT-NEXT:   "removed": 0,
// REPORT-NEXT:   "structure": "channel"
// REPORT-NEXT: },
//
// The five functions whose channels all stay warn once each:
// WARN-COUNT-5: warning: compress-prune: structure=channel removed no channel (the compress.pruned attribute of each producer says why)
// WARN-NOT: warning

// MLP: matmul -> bias + relu -> matmul; the classifier's outputs reach the
// result and stay.
// CHECK-LABEL: func.func @mlp
// A quarter of the 4 hidden units: column 1 (least L1 norm) goes from the
// first weight, the bias and the rows of the second weight.
// CHECK: %[[W1:.*]] = arith.constant dense<{{\[}}[1.000000e+00, 2.000000e+00, 2.000000e-01], [1.000000e+00, 2.000000e+00, -2.000000e-01], [1.000000e+00, 2.000000e+00, 2.000000e-01]]> : tensor<3x3xf32>
// CHECK: %[[H:.*]] = linalg.matmul {compress.pruned = {channels = 4 : i64, removed = 1 : i64, structure = "channel"}} ins(%{{.*}}, %[[W1]] : tensor<2x3xf32>, tensor<3x3xf32>) {{.*}} -> tensor<2x3xf32>
// CHECK: %[[B1:.*]] = arith.constant dense<[1.000000e+00, 3.000000e+00, 4.000000e+00]> : tensor<3xf32>
// CHECK: %[[A:.*]] = linalg.generic {{.*}} ins(%[[H]], %[[B1]] : tensor<2x3xf32>, tensor<3xf32>)
// CHECK: %[[W2:.*]] = arith.constant dense<{{\[}}[1.000000e+00, 2.000000e+00], [5.000000e+00, 6.000000e+00], [7.000000e+00, 8.000000e+00]]> : tensor<3x2xf32>
// CHECK: linalg.matmul {compress.pruned = {channels = 2 : i64, kept_because = "they reach a function result", removed = 0 : i64, structure = "channel"}} ins(%[[A]], %[[W2]] : tensor<2x3xf32>, tensor<3x2xf32>) {{.*}} -> tensor<2x2xf32>
// CHECK-NOT: tensor<3x4xf32>
// Half: columns 1 and 3.
// HALF-LABEL: func.func @mlp
// HALF: arith.constant dense<{{\[}}[1.000000e+00, 2.000000e+00], [1.000000e+00, 2.000000e+00], [1.000000e+00, 2.000000e+00]]> : tensor<3x2xf32>
// HALF: linalg.matmul {compress.pruned = {channels = 4 : i64, removed = 2 : i64, structure = "channel"}}
// HALF: arith.constant dense<[1.000000e+00, 3.000000e+00]> : tensor<2xf32>
// HALF: arith.constant dense<{{\[}}[1.000000e+00, 2.000000e+00], [5.000000e+00, 6.000000e+00]]> : tensor<2x2xf32>
// NONE-LABEL: func.func @mlp
// NONE: linalg.matmul {compress.pruned = {channels = 4 : i64, removed = 0 : i64, structure = "channel"}} {{.*}} -> tensor<2x4xf32>
func.func @mlp(%x: tensor<2x3xf32>) -> tensor<2x2xf32> {
  %w1 = arith.constant dense<[[1.0, 0.1, 2.0, 0.2], [1.0, 0.1, 2.0, -0.2], [1.0, -0.1, 2.0, 0.2]]> : tensor<3x4xf32>
  %b1 = arith.constant dense<[1.0, 2.0, 3.0, 4.0]> : tensor<4xf32>
  %w2 = arith.constant dense<[[1.0, 2.0], [3.0, 4.0], [5.0, 6.0], [7.0, 8.0]]> : tensor<4x2xf32>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<2x4xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<2x4xf32>) -> tensor<2x4xf32>
  %h = linalg.matmul ins(%x, %w1 : tensor<2x3xf32>, tensor<3x4xf32>) outs(%f : tensor<2x4xf32>) -> tensor<2x4xf32>
  %a = linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (j)>, affine_map<(i, j) -> (i, j)>], iterator_types = ["parallel", "parallel"]} ins(%h, %b1 : tensor<2x4xf32>, tensor<4xf32>) outs(%e : tensor<2x4xf32>) {
  ^bb0(%in: f32, %b: f32, %o: f32):
    %s = arith.addf %in, %b : f32
    %r = arith.maximumf %s, %zero : f32
    linalg.yield %r : f32
  } -> tensor<2x4xf32>
  %e2 = tensor.empty() : tensor<2x2xf32>
  %f2 = linalg.fill ins(%zero : f32) outs(%e2 : tensor<2x2xf32>) -> tensor<2x2xf32>
  %y = linalg.matmul ins(%a, %w2 : tensor<2x4xf32>, tensor<4x2xf32>) outs(%f2 : tensor<2x2xf32>) -> tensor<2x2xf32>
  return %y : tensor<2x2xf32>
}

// -----

// Two hidden layers of 4 units: per layer, each loses one (a quarter);
// scope=global ranks all 8 by their normalized scores and removes 2: the
// first layer's units all score 1 (equal L1 norms), the second's 0.5, 0.5,
// 0.5 and 2.5, so both go from the second layer (its units 0 and 1).
// CHECK-LABEL: func.func @two_layers
// CHECK: linalg.matmul {compress.pruned = {channels = 4 : i64, removed = 1 : i64, structure = "channel"}} {{.*}} -> tensor<2x3xf32>
// CHECK: linalg.matmul {compress.pruned = {channels = 4 : i64, removed = 1 : i64, structure = "channel"}} {{.*}} -> tensor<2x3xf32>
// GLOBAL-LABEL: func.func @two_layers
// GLOBAL: linalg.matmul {compress.pruned = {channels = 4 : i64, removed = 0 : i64, structure = "channel"}} {{.*}} -> tensor<2x4xf32>
// GLOBAL: %[[W2:.*]] = arith.constant dense<{{\[}}[2.500000e-01, 1.250000e+00], [2.500000e-01, 1.250000e+00], [2.500000e-01, 1.250000e+00], [2.500000e-01, 1.250000e+00]]> : tensor<4x2xf32>
// GLOBAL: linalg.matmul {compress.pruned = {channels = 4 : i64, removed = 2 : i64, structure = "channel"}} ins(%{{.*}}, %[[W2]] : {{.*}} -> tensor<2x2xf32>
// GLOBAL: %[[W3:.*]] = arith.constant dense<{{\[}}[5.000000e+00, 6.000000e+00], [7.000000e+00, 8.000000e+00]]> : tensor<2x2xf32>
// GLOBAL: linalg.matmul {{.*}} ins(%{{.*}}, %[[W3]] : tensor<2x2xf32>, tensor<2x2xf32>)
func.func @two_layers(%x: tensor<2x3xf32>) -> tensor<2x2xf32> {
  %w1 = arith.constant dense<1.0> : tensor<3x4xf32>
  %w2 = arith.constant dense<[[0.25, 0.25, 0.25, 1.25], [0.25, 0.25, 0.25, 1.25], [0.25, 0.25, 0.25, 1.25], [0.25, 0.25, 0.25, 1.25]]> : tensor<4x4xf32>
  %w3 = arith.constant dense<[[1.0, 2.0], [3.0, 4.0], [5.0, 6.0], [7.0, 8.0]]> : tensor<4x2xf32>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<2x4xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<2x4xf32>) -> tensor<2x4xf32>
  %h1 = linalg.matmul ins(%x, %w1 : tensor<2x3xf32>, tensor<3x4xf32>) outs(%f : tensor<2x4xf32>) -> tensor<2x4xf32>
  %h2 = linalg.matmul ins(%h1, %w2 : tensor<2x4xf32>, tensor<4x4xf32>) outs(%f : tensor<2x4xf32>) -> tensor<2x4xf32>
  %e2 = tensor.empty() : tensor<2x2xf32>
  %f2 = linalg.fill ins(%zero : f32) outs(%e2 : tensor<2x2xf32>) -> tensor<2x2xf32>
  %y = linalg.matmul ins(%h2, %w3 : tensor<2x4xf32>, tensor<4x2xf32>) outs(%f2 : tensor<2x2xf32>) -> tensor<2x2xf32>
  return %y : tensor<2x2xf32>
}

// -----

#id = affine_map<(n, c, h, w) -> (n, c, h, w)>
#ch = affine_map<(n, c, h, w) -> (c)>
#nhwc_ch = affine_map<(n, h, w, c) -> (c)>
#nhwc_id = affine_map<(n, h, w, c) -> (n, h, w, c)>

// Residual block, NCHW: conv1 -> batch norm (unfolded) -> relu -> pad ->
// conv2, and the add of conv2's output to conv1's: the two convolutions'
// channels are one group and lose the same 2 of 8; max pool, global sum
// pool, flatten and the classifier follow.
// CHECK-LABEL: func.func @residual
// CHECK: %[[C1:.*]] = linalg.conv_2d_nchw_fchw {compress.pruned = {channels = 8 : i64, removed = 2 : i64, structure = "channel"}{{.*}} ins(%{{.*}}, %{{.*}} : tensor<1x3x6x6xf32>, tensor<6x3x1x1xf32>) {{.*}} -> tensor<1x6x6x6xf32>
// CHECK: %[[BN:.*]] = linalg.generic {{.*}} ins(%[[C1]], %{{.*}}, %{{.*}} : tensor<1x6x6x6xf32>, tensor<6xf32>, tensor<6xf32>)
// CHECK: %[[RELU:.*]] = linalg.generic {{.*}} ins(%[[BN]] : tensor<1x6x6x6xf32>)
// CHECK: %[[PAD:.*]] = tensor.pad %[[RELU]] low[0, 0, 1, 1] high[0, 0, 1, 1]
// CHECK: } : tensor<1x6x6x6xf32> to tensor<1x6x8x8xf32>
// CHECK: %[[C2:.*]] = linalg.conv_2d_nchw_fchw {compress.pruned = {channels = 8 : i64, removed = 2 : i64, structure = "channel"}{{.*}} ins(%[[PAD]], %{{.*}} : tensor<1x6x8x8xf32>, tensor<6x6x3x3xf32>) {{.*}} -> tensor<1x6x6x6xf32>
// CHECK: %[[ADD:.*]] = linalg.generic {{.*}} ins(%[[C2]], %[[C1]] : tensor<1x6x6x6xf32>, tensor<1x6x6x6xf32>)
// CHECK: %[[MAX:.*]] = linalg.pooling_nchw_max {{.*}} ins(%[[ADD]], %{{.*}} : tensor<1x6x6x6xf32>, tensor<2x2xf32>) {{.*}} -> tensor<1x6x3x3xf32>
// CHECK: %[[SUM:.*]] = linalg.pooling_nchw_sum {{.*}} ins(%[[MAX]], %{{.*}} : tensor<1x6x3x3xf32>, tensor<3x3xf32>) {{.*}} -> tensor<1x6x1x1xf32>
// CHECK: %[[FLAT:.*]] = tensor.collapse_shape %[[SUM]] {{.*}} : tensor<1x6x1x1xf32> into tensor<1x6xf32>
// CHECK: linalg.matmul {compress.pruned = {channels = 4 : i64, kept_because = "they reach a function result", removed = 0 : i64, structure = "channel"}} ins(%[[FLAT]], %{{.*}} : tensor<1x6xf32>, tensor<6x4xf32>)
// CHECK-NOT: tensor<8x
// HALF-LABEL: func.func @residual
// HALF: linalg.conv_2d_nchw_fchw {{.*}} -> tensor<1x4x6x6xf32>
func.func @residual(%x: tensor<1x3x6x6xf32>) -> tensor<1x4xf32> {
  %zero = arith.constant 0.0 : f32
  %ninf = arith.constant 0xFF800000 : f32
  %w1 = arith.constant dense<1.0> : tensor<8x3x1x1xf32>
  %w2 = arith.constant dense<1.0> : tensor<8x8x3x3xf32>
  %mean = arith.constant dense<0.5> : tensor<8xf32>
  %scale = arith.constant dense<2.0> : tensor<8xf32>
  %fc = arith.constant dense<1.0> : tensor<8x4xf32>
  %e1 = tensor.empty() : tensor<1x8x6x6xf32>
  %f1 = linalg.fill ins(%zero : f32) outs(%e1 : tensor<1x8x6x6xf32>) -> tensor<1x8x6x6xf32>
  %c1 = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %w1 : tensor<1x3x6x6xf32>, tensor<8x3x1x1xf32>) outs(%f1 : tensor<1x8x6x6xf32>) -> tensor<1x8x6x6xf32>
  %bn = linalg.generic {indexing_maps = [#id, #ch, #ch, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%c1, %mean, %scale : tensor<1x8x6x6xf32>, tensor<8xf32>, tensor<8xf32>) outs(%e1 : tensor<1x8x6x6xf32>) {
  ^bb0(%a: f32, %m: f32, %s: f32, %o: f32):
    %d = arith.subf %a, %m : f32
    %r = arith.mulf %d, %s : f32
    linalg.yield %r : f32
  } -> tensor<1x8x6x6xf32>
  %relu = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%bn : tensor<1x8x6x6xf32>) outs(%e1 : tensor<1x8x6x6xf32>) {
  ^bb0(%a: f32, %o: f32):
    %r = arith.maximumf %a, %zero : f32
    linalg.yield %r : f32
  } -> tensor<1x8x6x6xf32>
  %p = tensor.pad %relu low[0, 0, 1, 1] high[0, 0, 1, 1] {
  ^bb0(%i0: index, %i1: index, %i2: index, %i3: index):
    tensor.yield %zero : f32
  } : tensor<1x8x6x6xf32> to tensor<1x8x8x8xf32>
  %c2 = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%p, %w2 : tensor<1x8x8x8xf32>, tensor<8x8x3x3xf32>) outs(%f1 : tensor<1x8x6x6xf32>) -> tensor<1x8x6x6xf32>
  %add = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%c2, %c1 : tensor<1x8x6x6xf32>, tensor<1x8x6x6xf32>) outs(%e1 : tensor<1x8x6x6xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %r = arith.addf %a, %b : f32
    linalg.yield %r : f32
  } -> tensor<1x8x6x6xf32>
  %e2 = tensor.empty() : tensor<1x8x3x3xf32>
  %f2 = linalg.fill ins(%ninf : f32) outs(%e2 : tensor<1x8x3x3xf32>) -> tensor<1x8x3x3xf32>
  %win = tensor.empty() : tensor<2x2xf32>
  %mp = linalg.pooling_nchw_max {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%add, %win : tensor<1x8x6x6xf32>, tensor<2x2xf32>) outs(%f2 : tensor<1x8x3x3xf32>) -> tensor<1x8x3x3xf32>
  %e3 = tensor.empty() : tensor<1x8x1x1xf32>
  %f3 = linalg.fill ins(%zero : f32) outs(%e3 : tensor<1x8x1x1xf32>) -> tensor<1x8x1x1xf32>
  %win3 = tensor.empty() : tensor<3x3xf32>
  %gp = linalg.pooling_nchw_sum {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%mp, %win3 : tensor<1x8x3x3xf32>, tensor<3x3xf32>) outs(%f3 : tensor<1x8x1x1xf32>) -> tensor<1x8x1x1xf32>
  %flat = tensor.collapse_shape %gp [[0], [1, 2, 3]] : tensor<1x8x1x1xf32> into tensor<1x8xf32>
  %e4 = tensor.empty() : tensor<1x4xf32>
  %f4 = linalg.fill ins(%zero : f32) outs(%e4 : tensor<1x4xf32>) -> tensor<1x4xf32>
  %y = linalg.matmul ins(%flat, %fc : tensor<1x8xf32>, tensor<8x4xf32>) outs(%f4 : tensor<1x4xf32>) -> tensor<1x4xf32>
  return %y : tensor<1x4xf32>
}

// -----

#id = affine_map<(n, c, h, w) -> (n, c, h, w)>
#ch = affine_map<(n, c, h, w) -> (c)>
#nhwc_ch = affine_map<(n, h, w, c) -> (c)>
#nhwc_id = affine_map<(n, h, w, c) -> (n, h, w, c)>

// NHWC: conv_2d_nhwc_hwcf -> depthwise 3x3 (its weight loses the same
// channels) -> bias -> concat with the conv's output along the channels ->
// 1x1 conv; flatten of [N, H, W, C] (the channel is the inner dim).
// CHECK-LABEL: func.func @nhwc
// One of the 4 channels goes from the convolution, the depthwise
// convolution's weight and the bias; the concat holds it twice; the flatten
// of [1, 4, 4, C] loses every 4th element.
// CHECK: %[[C:.*]] = linalg.conv_2d_nhwc_hwcf {compress.pruned = {channels = 4 : i64, removed = 1 : i64, structure = "channel"}{{.*}} tensor<1x1x2x3xf32>) {{.*}} -> tensor<1x4x4x3xf32>
// CHECK: tensor<1x4x4x3xf32> to tensor<1x6x6x3xf32>
// CHECK: %[[D:.*]] = linalg.depthwise_conv_2d_nhwc_hwc {{.*}} : tensor<1x6x6x3xf32>, tensor<3x3x3xf32>) {{.*}} -> tensor<1x4x4x3xf32>
// CHECK: %[[DB:.*]] = linalg.generic {{.*}} ins(%[[D]], %{{.*}} : tensor<1x4x4x3xf32>, tensor<3xf32>)
// CHECK: %[[CAT:.*]] = tensor.concat dim(3) %[[DB]], %[[C]] : (tensor<1x4x4x3xf32>, tensor<1x4x4x3xf32>) -> tensor<1x4x4x6xf32>
// CHECK: %[[C3:.*]] = linalg.conv_2d_nhwc_hwcf {compress.pruned = {channels = 4 : i64, removed = 1 : i64, structure = "channel"}{{.*}} ins(%[[CAT]], %{{.*}} : tensor<1x4x4x6xf32>, tensor<1x1x6x3xf32>) {{.*}} -> tensor<1x4x4x3xf32>
// CHECK: %[[FLAT:.*]] = tensor.collapse_shape %[[C3]] {{.*}} : tensor<1x4x4x3xf32> into tensor<1x48xf32>
// CHECK: linalg.matmul {{.*}} ins(%[[FLAT]], %{{.*}} : tensor<1x48xf32>, tensor<48x3xf32>)
func.func @nhwc(%x: tensor<1x4x4x2xf32>) -> tensor<1x3xf32> {
  %zero = arith.constant 0.0 : f32
  %w = arith.constant dense<1.0> : tensor<1x1x2x4xf32>
  %dw = arith.constant dense<1.0> : tensor<3x3x4xf32>
  %b = arith.constant dense<[1.0, 2.0, 3.0, 4.0]> : tensor<4xf32>
  %w3 = arith.constant dense<1.0> : tensor<1x1x8x4xf32>
  %fc = arith.constant dense<1.0> : tensor<64x3xf32>
  %e = tensor.empty() : tensor<1x4x4x4xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<1x4x4x4xf32>) -> tensor<1x4x4x4xf32>
  %c = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %w : tensor<1x4x4x2xf32>, tensor<1x1x2x4xf32>) outs(%f : tensor<1x4x4x4xf32>) -> tensor<1x4x4x4xf32>
  %p = tensor.pad %c low[0, 1, 1, 0] high[0, 1, 1, 0] {
  ^bb0(%i0: index, %i1: index, %i2: index, %i3: index):
    tensor.yield %zero : f32
  } : tensor<1x4x4x4xf32> to tensor<1x6x6x4xf32>
  %d = linalg.depthwise_conv_2d_nhwc_hwc {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%p, %dw : tensor<1x6x6x4xf32>, tensor<3x3x4xf32>) outs(%f : tensor<1x4x4x4xf32>) -> tensor<1x4x4x4xf32>
  %db = linalg.generic {indexing_maps = [#nhwc_id, #nhwc_ch, #nhwc_id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%d, %b : tensor<1x4x4x4xf32>, tensor<4xf32>) outs(%e : tensor<1x4x4x4xf32>) {
  ^bb0(%a: f32, %s: f32, %o: f32):
    %r = arith.addf %a, %s : f32
    linalg.yield %r : f32
  } -> tensor<1x4x4x4xf32>
  %cat = tensor.concat dim(3) %db, %c : (tensor<1x4x4x4xf32>, tensor<1x4x4x4xf32>) -> tensor<1x4x4x8xf32>
  %e3 = tensor.empty() : tensor<1x4x4x4xf32>
  %f3 = linalg.fill ins(%zero : f32) outs(%e3 : tensor<1x4x4x4xf32>) -> tensor<1x4x4x4xf32>
  %c3 = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%cat, %w3 : tensor<1x4x4x8xf32>, tensor<1x1x8x4xf32>) outs(%f3 : tensor<1x4x4x4xf32>) -> tensor<1x4x4x4xf32>
  %flat = tensor.collapse_shape %c3 [[0], [1, 2, 3]] : tensor<1x4x4x4xf32> into tensor<1x64xf32>
  %e4 = tensor.empty() : tensor<1x3xf32>
  %f4 = linalg.fill ins(%zero : f32) outs(%e4 : tensor<1x3xf32>) -> tensor<1x3xf32>
  %y = linalg.matmul ins(%flat, %fc : tensor<1x64xf32>, tensor<64x3xf32>) outs(%f4 : tensor<1x3xf32>) -> tensor<1x3xf32>
  return %y : tensor<1x3xf32>
}

// -----

#id = affine_map<(n, c, h, w) -> (n, c, h, w)>
// Flatten and unflatten: the channel keeps its own run of elements.
// CHECK-LABEL: func.func @reshapes
// CHECK: %[[C:.*]] = linalg.conv_2d_nchw_fchw {compress.pruned = {channels = 8 : i64, removed = 2 : i64, structure = "channel"}{{.*}} -> tensor<1x6x2x2xf32>
// CHECK: %[[FLAT:.*]] = tensor.collapse_shape %[[C]] {{.*}} : tensor<1x6x2x2xf32> into tensor<1x24xf32>
// CHECK: %[[BACK:.*]] = tensor.expand_shape %[[FLAT]] {{.*}} output_shape [1, 6, 2, 2] : tensor<1x24xf32> into tensor<1x6x2x2xf32>
// CHECK: linalg.conv_2d_nchw_fchw {{.*}} ins(%[[BACK]], %{{.*}} : tensor<1x6x2x2xf32>, tensor<2x6x1x1xf32>)
func.func @reshapes(%x: tensor<1x2x2x2xf32>) -> tensor<1x2x2x2xf32> {
  %zero = arith.constant 0.0 : f32
  %w = arith.constant dense<1.0> : tensor<8x2x1x1xf32>
  %w2 = arith.constant dense<1.0> : tensor<2x8x1x1xf32>
  %e = tensor.empty() : tensor<1x8x2x2xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<1x8x2x2xf32>) -> tensor<1x8x2x2xf32>
  %c = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %w : tensor<1x2x2x2xf32>, tensor<8x2x1x1xf32>) outs(%f : tensor<1x8x2x2xf32>) -> tensor<1x8x2x2xf32>
  %flat = tensor.collapse_shape %c [[0], [1, 2, 3]] : tensor<1x8x2x2xf32> into tensor<1x32xf32>
  %back = tensor.expand_shape %flat [[0], [1, 2, 3]] output_shape [1, 8, 2, 2] : tensor<1x32xf32> into tensor<1x8x2x2xf32>
  %e2 = tensor.empty() : tensor<1x2x2x2xf32>
  %f2 = linalg.fill ins(%zero : f32) outs(%e2 : tensor<1x2x2x2xf32>) -> tensor<1x2x2x2xf32>
  %y = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%back, %w2 : tensor<1x8x2x2xf32>, tensor<2x8x1x1xf32>) outs(%f2 : tensor<1x2x2x2xf32>) -> tensor<1x2x2x2xf32>
  return %y : tensor<1x2x2x2xf32>
}

// -----

#id = affine_map<(n, c, h, w) -> (n, c, h, w)>
// A channel read by an op the pass does not follow stays.
// CHECK-LABEL: func.func @unknown
// CHECK: linalg.conv_2d_nchw_fchw {compress.pruned = {channels = 8 : i64, kept_because = "used by 'tensor.extract_slice', which channel pruning does not follow", removed = 0 : i64, structure = "channel"}{{.*}} -> tensor<1x8x2x2xf32>
func.func @unknown(%x: tensor<1x2x2x2xf32>) -> tensor<1x4x2x2xf32> {
  %zero = arith.constant 0.0 : f32
  %w = arith.constant dense<1.0> : tensor<8x2x1x1xf32>
  %e = tensor.empty() : tensor<1x8x2x2xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<1x8x2x2xf32>) -> tensor<1x8x2x2xf32>
  %c = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %w : tensor<1x2x2x2xf32>, tensor<8x2x1x1xf32>) outs(%f : tensor<1x8x2x2xf32>) -> tensor<1x8x2x2xf32>
  %s = tensor.extract_slice %c[0, 0, 0, 0] [1, 4, 2, 2] [1, 1, 1, 1] : tensor<1x8x2x2xf32> to tensor<1x4x2x2xf32>
  return %s : tensor<1x4x2x2xf32>
}

// -----

#id = affine_map<(n, c, h, w) -> (n, c, h, w)>
// Padding along the channels would need the pad moved: they stay.
// CHECK-LABEL: func.func @pad_channels
// CHECK: linalg.conv_2d_nchw_fchw {compress.pruned = {channels = 8 : i64, kept_because = "'tensor.pad' pads along the channel dim", removed = 0 : i64, structure = "channel"}{{.*}} -> tensor<1x8x2x2xf32>
func.func @pad_channels(%x: tensor<1x2x2x2xf32>) -> tensor<1x2x2x2xf32> {
  %zero = arith.constant 0.0 : f32
  %w = arith.constant dense<1.0> : tensor<8x2x1x1xf32>
  %w2 = arith.constant dense<1.0> : tensor<2x10x1x1xf32>
  %e = tensor.empty() : tensor<1x8x2x2xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<1x8x2x2xf32>) -> tensor<1x8x2x2xf32>
  %c = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %w : tensor<1x2x2x2xf32>, tensor<8x2x1x1xf32>) outs(%f : tensor<1x8x2x2xf32>) -> tensor<1x8x2x2xf32>
  %p = tensor.pad %c low[0, 1, 0, 0] high[0, 1, 0, 0] {
  ^bb0(%i0: index, %i1: index, %i2: index, %i3: index):
    tensor.yield %zero : f32
  } : tensor<1x8x2x2xf32> to tensor<1x10x2x2xf32>
  %e2 = tensor.empty() : tensor<1x2x2x2xf32>
  %f2 = linalg.fill ins(%zero : f32) outs(%e2 : tensor<1x2x2x2xf32>) -> tensor<1x2x2x2xf32>
  %y = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%p, %w2 : tensor<1x10x2x2xf32>, tensor<2x10x1x1xf32>) outs(%f2 : tensor<1x2x2x2xf32>) -> tensor<1x2x2x2xf32>
  return %y : tensor<1x2x2x2xf32>
}

// -----

#id = affine_map<(n, c, h, w) -> (n, c, h, w)>
// A body that reads the channel index would see other indices: they stay.
// CHECK-LABEL: func.func @index
// CHECK: linalg.conv_2d_nchw_fchw {compress.pruned = {channels = 8 : i64, kept_because = "'linalg.generic' uses the channel index in its body", removed = 0 : i64, structure = "channel"}{{.*}} -> tensor<1x8x2x2xf32>
func.func @index(%x: tensor<1x2x2x2xf32>) -> tensor<1x2x2x2xf32> {
  %zero = arith.constant 0.0 : f32
  %w = arith.constant dense<1.0> : tensor<8x2x1x1xf32>
  %w2 = arith.constant dense<1.0> : tensor<2x8x1x1xf32>
  %e = tensor.empty() : tensor<1x8x2x2xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<1x8x2x2xf32>) -> tensor<1x8x2x2xf32>
  %c = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %w : tensor<1x2x2x2xf32>, tensor<8x2x1x1xf32>) outs(%f : tensor<1x8x2x2xf32>) -> tensor<1x8x2x2xf32>
  %g = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%c : tensor<1x8x2x2xf32>) outs(%e : tensor<1x8x2x2xf32>) {
  ^bb0(%a: f32, %o: f32):
    %i = linalg.index 1 : index
    %ii = arith.index_cast %i : index to i32
    %fi = arith.sitofp %ii : i32 to f32
    %r = arith.addf %a, %fi : f32
    linalg.yield %r : f32
  } -> tensor<1x8x2x2xf32>
  %e2 = tensor.empty() : tensor<1x2x2x2xf32>
  %f2 = linalg.fill ins(%zero : f32) outs(%e2 : tensor<1x2x2x2xf32>) -> tensor<1x2x2x2xf32>
  %y = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%g, %w2 : tensor<1x8x2x2xf32>, tensor<2x8x1x1xf32>) outs(%f2 : tensor<1x2x2x2xf32>) -> tensor<1x2x2x2xf32>
  return %y : tensor<1x2x2x2xf32>
}

// -----

#id = affine_map<(n, c, h, w) -> (n, c, h, w)>
// Added to a function argument (which keeps its type): they stay.
// CHECK-LABEL: func.func @argument
// CHECK: linalg.conv_2d_nchw_fchw {compress.pruned = {channels = 8 : i64, kept_because = "'linalg.add' reads them with operand #1, which pruning cannot shrink", removed = 0 : i64, structure = "channel"}{{.*}} -> tensor<1x8x2x2xf32>
func.func @argument(%x: tensor<1x2x2x2xf32>, %r: tensor<1x8x2x2xf32>) -> tensor<1x2x2x2xf32> {
  %zero = arith.constant 0.0 : f32
  %w = arith.constant dense<1.0> : tensor<8x2x1x1xf32>
  %w2 = arith.constant dense<1.0> : tensor<2x8x1x1xf32>
  %e = tensor.empty() : tensor<1x8x2x2xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<1x8x2x2xf32>) -> tensor<1x8x2x2xf32>
  %c = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %w : tensor<1x2x2x2xf32>, tensor<8x2x1x1xf32>) outs(%f : tensor<1x8x2x2xf32>) -> tensor<1x8x2x2xf32>
  %g = linalg.add ins(%c, %r : tensor<1x8x2x2xf32>, tensor<1x8x2x2xf32>) outs(%e : tensor<1x8x2x2xf32>) -> tensor<1x8x2x2xf32>
  %e2 = tensor.empty() : tensor<1x2x2x2xf32>
  %f2 = linalg.fill ins(%zero : f32) outs(%e2 : tensor<1x2x2x2xf32>) -> tensor<1x2x2x2xf32>
  %y = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%g, %w2 : tensor<1x8x2x2xf32>, tensor<2x8x1x1xf32>) outs(%f2 : tensor<1x2x2x2xf32>) -> tensor<1x2x2x2xf32>
  return %y : tensor<1x2x2x2xf32>
}

// -----

#id = affine_map<(n, c, h, w) -> (n, c, h, w)>
#rev = affine_map<(n, c, h, w) -> (n, 7 - c, h, w)>
// Channels read in reverse order by an expression stay, with those they
// are added to.
// CHECK-LABEL: func.func @reversed
// CHECK: linalg.conv_2d_nchw_fchw {compress.pruned = {channels = 8 : i64, kept_because = "'linalg.generic' reads them with operand #1, which pruning cannot shrink", removed = 0 : i64, structure = "channel"}
// CHECK: linalg.conv_2d_nchw_fchw {compress.pruned = {channels = 8 : i64, kept_because = "'linalg.generic' indexes its channels by an expression", removed = 0 : i64, structure = "channel"}
func.func @reversed(%x: tensor<1x2x2x2xf32>) -> tensor<1x2x2x2xf32> {
  %zero = arith.constant 0.0 : f32
  %w = arith.constant dense<1.0> : tensor<8x2x1x1xf32>
  %w2 = arith.constant dense<2.0> : tensor<8x2x1x1xf32>
  %w3 = arith.constant dense<1.0> : tensor<2x8x1x1xf32>
  %e = tensor.empty() : tensor<1x8x2x2xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<1x8x2x2xf32>) -> tensor<1x8x2x2xf32>
  %a = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %w : tensor<1x2x2x2xf32>, tensor<8x2x1x1xf32>) outs(%f : tensor<1x8x2x2xf32>) -> tensor<1x8x2x2xf32>
  %b = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %w2 : tensor<1x2x2x2xf32>, tensor<8x2x1x1xf32>) outs(%f : tensor<1x8x2x2xf32>) -> tensor<1x8x2x2xf32>
  %g = linalg.generic {indexing_maps = [#id, #rev, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%a, %b : tensor<1x8x2x2xf32>, tensor<1x8x2x2xf32>) outs(%e : tensor<1x8x2x2xf32>) {
  ^bb0(%p: f32, %q: f32, %o: f32):
    %s = arith.addf %p, %q : f32
    linalg.yield %s : f32
  } -> tensor<1x8x2x2xf32>
  %e2 = tensor.empty() : tensor<1x2x2x2xf32>
  %f2 = linalg.fill ins(%zero : f32) outs(%e2 : tensor<1x2x2x2xf32>) -> tensor<1x2x2x2xf32>
  %y = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%g, %w3 : tensor<1x8x2x2xf32>, tensor<2x8x1x1xf32>) outs(%f2 : tensor<1x2x2x2xf32>) -> tensor<1x2x2x2xf32>
  return %y : tensor<1x2x2x2xf32>
}

// -----

// One fill shared as the init of two convolutions that both shrink: each
// gets its own, the shared one goes.
// CHECK-LABEL: func.func @shared_init
// CHECK-COUNT-2: linalg.fill {{.*}} -> tensor<1x6x2x2xf32>
// CHECK-NOT: tensor<1x8x2x2xf32>
func.func @shared_init(%x: tensor<1x2x2x2xf32>) -> tensor<1x2x2x2xf32> {
  %zero = arith.constant 0.0 : f32
  %w = arith.constant dense<1.0> : tensor<8x2x1x1xf32>
  %w2 = arith.constant dense<2.0> : tensor<8x2x1x1xf32>
  %w3 = arith.constant dense<1.0> : tensor<2x8x1x1xf32>
  %e = tensor.empty() : tensor<1x8x2x2xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<1x8x2x2xf32>) -> tensor<1x8x2x2xf32>
  %a = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %w : tensor<1x2x2x2xf32>, tensor<8x2x1x1xf32>) outs(%f : tensor<1x8x2x2xf32>) -> tensor<1x8x2x2xf32>
  %b = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %w2 : tensor<1x2x2x2xf32>, tensor<8x2x1x1xf32>) outs(%f : tensor<1x8x2x2xf32>) -> tensor<1x8x2x2xf32>
  %g = linalg.add ins(%a, %b : tensor<1x8x2x2xf32>, tensor<1x8x2x2xf32>) outs(%e : tensor<1x8x2x2xf32>) -> tensor<1x8x2x2xf32>
  %e2 = tensor.empty() : tensor<1x2x2x2xf32>
  %f2 = linalg.fill ins(%zero : f32) outs(%e2 : tensor<1x2x2x2xf32>) -> tensor<1x2x2x2xf32>
  %y = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%g, %w3 : tensor<1x8x2x2xf32>, tensor<2x8x1x1xf32>) outs(%f2 : tensor<1x2x2x2xf32>) -> tensor<1x2x2x2xf32>
  return %y : tensor<1x2x2x2xf32>
}
