// ResNet-18 (examples/resnet18/resnet18.py; channels / 4 and 64x64 inputs
// so that it runs in seconds; the topology is the full one: 7x7/2 stem, max
// pool, 8 basic blocks with 3 stride-2 downsamples, global average pool,
// fully connected layer), compiled end to end:
//  - fp32 with the batch norms folded: matches a numpy implementation;
//  - int8 static (calibrated on 4 inputs): cosine >= 0.99, same top class;
//  - in the compiled form, the convs are channels last and grouped with
//    their epilogues (bias, residual add, relu); no transpose between
//    layers; no padded copy (the kernels write into padded buffers).
//
// REQUIRES: host-supports-jit
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python %examples/resnet18/resnet18.py %t --width 16 --size 64 --classes 10 --calibration 4 --no-onnx
// RUN: compress-opt %t/model.mlir --compress-fold-batchnorm -o %t/folded.mlir
// RUN: compress-run %t/folded.mlir -e predict --input %t/x.npy --output %t/fp32.npy
// RUN: compress-opt %t/folded.mlir --compress-instrument=gram=false -o %t/instrumented.mlir
// RUN: compress-run %t/instrumented.mlir -e predict --input %t/calib_0.npy --input %t/calib_1.npy --input %t/calib_2.npy --input %t/calib_3.npy --calibration-out %t/calibration.json --output %t/unused.npy
// RUN: compress-opt %t/folded.mlir --compress-quantize="mode=static calibration=%t/calibration.json" -o %t/int8.mlir
// RUN: compress-run %t/int8.mlir -e predict --input %t/x.npy --output %t/int8.npy
// RUN: %python %examples/resnet18/check.py %t/reference.npy %t/fp32.npy %t/int8.npy | FileCheck %s
// RUN: compress-opt %t/folded.mlir --compress-channels-last --compress-fuse -o %t/fused.mlir
// RUN: FileCheck %s --check-prefix=IR < %t/fused.mlir
// RUN: FileCheck %s --check-prefix=NOPAD < %t/fused.mlir
// CHECK: fp32 ok
// CHECK: int8 ok
//
// The stem's input is transposed once; the stem and the 16 block convs each
// become a fusion group with their epilogue (bias, relu; the residual add
// and the downsampling conv's result in the second conv of a block); only
// the pooled 1x128x1x1 result is transposed back.
// IR:          linalg.transpose ins(%{{.*}} : tensor<1x3x64x64xf32>) {{.*}} permutation = [0, 2, 3, 1]
// IR-COUNT-17: compress.fusion_group -> tensor<1x{{[0-9]+}}x{{[0-9]+}}x{{[0-9]+}}xf32>
// IR-NOT:      linalg.transpose
// IR:          compress.fusion_group -> tensor<1x1x1x128xf32>
// IR-NOT:      linalg.transpose
// IR:          linalg.transpose ins(%{{.*}} : tensor<1x1x1x128xf32>) {{.*}} permutation = [0, 3, 1, 2]
// IR:          compress.fusion_group -> tensor<1x10xf32>
// NOPAD-NOT:   tensor.pad
// NOPAD-COUNT-18: tensor.insert_slice
// NOPAD-NOT:   tensor.pad
