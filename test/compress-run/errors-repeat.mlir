// compress-run bounds --repeat: counts above 1000000 are an error before
// anything is compiled or called.
//
// Regression test: --repeat=4294967295 crashed (SIGSEGV): the call count
// `repeat + 1` wrapped around to 0, no call was timed, and the median of no
// times was read out of an empty vector.
//
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python -c "import numpy as np; np.save('%t/s.npy', np.float64(3.0))"
// RUN: not compress-run %s -e scalar --input %t/s.npy --repeat=4294967295 2>&1 \
// RUN:   | FileCheck %s --check-prefix=MAX
// RUN: not compress-run %s -e scalar --input %t/s.npy --repeat=1000001 2>&1 \
// RUN:   | FileCheck %s --check-prefix=ABOVE
// MAX: compress-run: error: --repeat must be at most 1000000, got 4294967295
// ABOVE: compress-run: error: --repeat must be at most 1000000, got 1000001
// A value that does not fit the option at all is rejected by the parser.
// RUN: not compress-run %s -e scalar --input %t/s.npy --repeat=4294967296 2>&1 \
// RUN:   | FileCheck %s --check-prefix=PARSE
// PARSE: compress-run: for the --repeat option: '4294967296' value invalid for uint argument!

func.func @scalar(%x: f64) -> f64 {
  %r = arith.mulf %x, %x : f64
  return %r : f64
}
