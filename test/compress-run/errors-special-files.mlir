// The runtime and the calibration reader read regular files only (the
// calibration JSON at most 256 MiB; Gram matrices live in separate .npy
// files), so no file name can make compress-opt or compress-run read
// without end: calibration files, .npy inputs and module files alike.
// (A module on standard input, "-", is still read.)
//
// Regression test: --compress-quantize="mode=static calibration=/dev/zero"
// read /dev/zero until memory ran out.
//
// RUN: rm -rf %t && mkdir -p %t
// RUN: not compress-opt %s --compress-quantize="mode=static calibration=/dev/zero" 2>&1 \
// RUN:   | FileCheck %s --check-prefix=DEV-ZERO
// DEV-ZERO: error: compress-quantize: calibration file '/dev/zero': cannot read it: not a regular file
// RUN: not compress-opt %s --compress-quantize="mode=static calibration=%t" 2>&1 \
// RUN:   | FileCheck %s --check-prefix=DIRECTORY
// DIRECTORY: error: compress-quantize: calibration file '{{.*}}': cannot read it: it is a directory
// A (sparse) file above the size limit is refused before it is read.
// RUN: truncate -s 300M %t/huge.json
// RUN: not compress-opt %s --compress-quantize="mode=static calibration=%t/huge.json" 2>&1 \
// RUN:   | FileCheck %s --check-prefix=HUGE
// HUGE: error: compress-quantize: calibration file '{{.*}}huge.json': cannot read it: 314572800 bytes, more than the limit of 268435456
// RUN: mkfifo %t/fifo.json
// RUN: not compress-opt %s --compress-quantize="mode=static calibration=%t/fifo.json" 2>&1 \
// RUN:   | FileCheck %s --check-prefix=FIFO
// FIFO: error: compress-quantize: calibration file '{{.*}}fifo.json': cannot read it: not a regular file

// Inputs of compress-run.
// RUN: not compress-run %s -e f --input /dev/zero 2>&1 | FileCheck %s --check-prefix=INPUT
// INPUT: compress-run: error: cannot read '/dev/zero': not a regular file
// RUN: not compress-run %s -e f --input %t/fifo.json 2>&1 | FileCheck %s --check-prefix=INPUT-FIFO
// INPUT-FIFO: compress-run: error: cannot read '{{.*}}fifo.json': not a regular file

// Module files.
// RUN: not compress-run /dev/zero -e f 2>&1 | FileCheck %s --check-prefix=MODULE
// MODULE: compress-run: error: cannot open input file '/dev/zero': not a regular file
// RUN: not compress-run %t/fifo.json -e f 2>&1 | FileCheck %s --check-prefix=MODULE-FIFO
// MODULE-FIFO: compress-run: error: cannot open input file '{{.*}}fifo.json': not a regular file
// RUN: not compress-run %t -e f 2>&1 | FileCheck %s --check-prefix=MODULE-DIR
// MODULE-DIR: compress-run: error: cannot open input file '{{.*}}': it is a directory

func.func @f(%x: tensor<?x2xf32>) -> tensor<?x2xf32> {
  %w = arith.constant dense<[[1.0, 0.0], [0.0, 1.0]]> : tensor<2x2xf32>
  %c0 = arith.constant 0 : index
  %n = tensor.dim %x, %c0 : tensor<?x2xf32>
  %e = tensor.empty(%n) : tensor<?x2xf32>
  %y = linalg.matmul ins(%x, %w : tensor<?x2xf32>, tensor<2x2xf32>) outs(%e : tensor<?x2xf32>) -> tensor<?x2xf32>
  return %y : tensor<?x2xf32>
}
