// The mutation driver's supervisor, with inputs that crash or hang on
// purpose (-self_test_crash=TEXT / -self_test_hang=TEXT: an input containing
// TEXT aborts in selfTestCrash() or never returns). The input is this file.
//
// RUN: rm -rf %t && mkdir %t
//
// A crash fails the run; the input is written out, and replaying it says
// how.
// RUN: not compress-fuzz-npy -self_test_crash=SELF-TEST -artifact_prefix=%t/ %s 2>&1 \
// RUN:   | FileCheck %s --check-prefix=CRASH
// CRASH: compress-fuzz: self-test crash
// CRASH: compress-fuzz: crash on corpus input {{.*}}driver.mlir (input 0, -seed=1)
// CRASH: compress-fuzz: input written to {{.*}}/crash-0; replay it with: {{.*}}compress-fuzz-npy {{.*}}/crash-0
// RUN: cmp %s %t/crash-0
//
// An input that runs longer than -timeout fails the run the same way.
// RUN: not compress-fuzz-npy -self_test_hang=SELF-TEST -timeout=1 -artifact_prefix=%t/ %s 2>&1 \
// RUN:   | FileCheck %s --check-prefix=HANG
// HANG: compress-fuzz: input 0 ran longer than 1 s
// HANG: compress-fuzz: timeout on corpus input {{.*}}driver.mlir (input 0, -seed=1)
// RUN: cmp %s %t/timeout-0
//
// A crash whose stack, read from the crash site down, reaches an
// -upstream_frame before any -own_frame is counted, kept, and the run goes
// on (an -own_frame further down does not matter); an -own_frame above it
// fails the run.
// RUN: compress-fuzz-npy -self_test_crash=SELF-TEST -upstream_frame=selfTestCrash \
// RUN:   -own_frame=superviseRunner -artifact_prefix=%t/ %s %s 2>&1 | FileCheck %s --check-prefix=UPSTREAM
// UPSTREAM: compress-fuzz: upstream-crash on corpus input {{.*}}driver.mlir (input 0, -seed=1)
// UPSTREAM: compress-fuzz: upstream-crash on corpus input {{.*}}driver.mlir (input 1, -seed=1)
// UPSTREAM: compress-fuzz: done: 2 inputs (2 corpus, 0 mutated) in {{.*}}, 2 upstream crashes, -seed=1
// RUN: not compress-fuzz-npy -self_test_crash=SELF-TEST -upstream_frame=selfTestCrash \
// RUN:   -own_frame=raise -artifact_prefix=%t/ %s 2>&1 | FileCheck %s --check-prefix=OWN
// OWN: compress-fuzz: crash on corpus input
//
// The inputs of a run depend only on the seed and the corpus.
// RUN: compress-fuzz-npy -runs=500 -seed=5 %s 2>&1 | grep 'this runner' > %t/a
// RUN: compress-fuzz-npy -runs=500 -seed=5 %s 2>&1 | grep 'this runner' > %t/b
// RUN: cmp %t/a %t/b
//
// Bad flags.
// RUN: not compress-fuzz-npy -runs=-1 %s 2>&1 | FileCheck %s --check-prefix=FLAGS
// FLAGS: compress-fuzz: -runs=-1 needs -max_total_time
// RUN: not compress-fuzz-npy -speed=9 %s 2>&1 | FileCheck %s --check-prefix=UNKNOWN
// UNKNOWN: compress-fuzz: bad flag '-speed=9'
// RUN: not compress-fuzz-npy 2>&1 | FileCheck %s --check-prefix=EMPTY
// EMPTY: compress-fuzz: no corpus inputs (give files or directories)
