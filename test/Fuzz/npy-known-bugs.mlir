// Known bugs of the .npy reader (tools/compress-run/Npy.cpp) found by
// compress-fuzz-npy, which skips such inputs unless COMPRESS_FUZZ_KNOWN_BUGS
// is set. This test fails while a bug exists; once the reader is fixed it
// passes unexpectedly (XPASS): then remove the XFAIL here and the skip in
// tools/compress-fuzz/NpyFuzzer.cpp.
// XFAIL: *
//
// A 'shape' that is not a tuple is read as a 0-d array, and an empty one
// fails an assertion (StringRef::drop_front) in builds with assertions.
// RUN: %python -c "import sys; h = b\"{'descr': '<f2', 'fortran_order': False, 'shape': 7, }\"; sys.stdout.buffer.write(b'\x93NUMPY\x01\x00' + bytes([len(h), 0]) + h + b'\0\0')" > %t.scalar.npy
// RUN: env COMPRESS_FUZZ_KNOWN_BUGS=1 compress-fuzz-npy %t.scalar.npy
// RUN: %python -c "import sys; h = b\"{'descr': '<f2', 'fortran_order': False, 'shape': , }\"; sys.stdout.buffer.write(b'\x93NUMPY\x01\x00' + bytes([len(h), 0]) + h + b'\0\0')" > %t.empty.npy
// RUN: env COMPRESS_FUZZ_KNOWN_BUGS=1 compress-fuzz-npy %t.empty.npy
