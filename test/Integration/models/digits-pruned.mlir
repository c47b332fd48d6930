// Accuracy of the pruned digits models on the 360 held-out images, against
// their dense fp32 accuracy, without fine-tuning
// (examples/digits/prune_accuracy.py prints the table):
//   method=reconstruct (Gram matrices of a calibration on the training
//   images): 50% unstructured drop <= 1 point; 80% unstructured (the MLP
//   per layer; both models with scope=global: the CNN's first convolution
//   reduces over 9 inputs, too few to lose 80% of each row) and 2:4 drop
//   <= 1.5 points; 25% of the CNN's convolution filters (structure=channel,
//   the tensors shrink) drop <= 2 points.
// The CNN's first convolution has one input channel: n:m leaves it dense
// (a warning), the others take 2:4. The script exits non-zero if any budget
// is exceeded.
//
// REQUIRES: host-supports-jit
// RUN: %python %examples/digits/prune_accuracy.py --bin %compress_tools_dir --check | FileCheck %s
// CHECK: mlp   80% unstructured reconstruct
// CHECK: mlp   80% global reconstruct
// CHECK: mlp   2:4 reconstruct
// CHECK: cnn   80% global reconstruct
// CHECK: cnn   2:4 reconstruct
// CHECK: cnn   25% channels reconstruct
// CHECK: cnn   25% channels global reconstruct
// CHECK: all budgets met
