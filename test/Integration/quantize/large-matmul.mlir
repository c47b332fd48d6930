// The quantized kernels at sizes large enough that loops LLVM vectorizes run
// full vector iterations as well as remainders (the other tests use sizes
// below most vector widths): a matmul with K = 135 and N = 9 (1215 weights,
// odd), 33 rows, its weight written by make_model.py.
// Every result is checked against reference.py (see matmul.mlir), with the
// host CPU's vector extensions and with plain x86-64 (SSE2).
//
// REQUIRES: host-supports-jit
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python %S/make_model.py %t/model.mlir mm 135 9 0.2
// RUN: %python %S/make_inputs.py %t x=33x135:normal:1 init=33x9:normal:1 \
// RUN:   xs=33x135:grid:-3:5:0.015625 xd=33x135:grid:-1:2.984375:0.0078125
// RUN: echo '{"version": 2, "tensors": {"mm/0": {"ranges": {"minmax": [-2, 3.96875]}}}}' > %t/cal.json
//
// DEFINE: %{options} =
// DEFINE: %{cpu} = native
// DEFINE: %{inputs} = --input %t/x.npy --input %t/init.npy
// DEFINE: %{flags} =
// DEFINE: %{bf16dot} = %bf16dot
// DEFINE: %{check} = rm -f %t/q.mlir %t/y.npy && compress-opt %t/model.mlir --compress-quantize='%{options}' -o %t/q.mlir \
// DEFINE:   && compress-run %t/q.mlir -e mm --compress-to-llvm-options=cpu=%{cpu} %{inputs} \
// DEFINE:        --output %t/y.npy \
// DEFINE:   && %python %S/reference.py %t/model.mlir mm --options '%{options}' %{inputs} \
// DEFINE:        --output %t/y.npy %{flags} %{bf16dot}
//
// RUN: %{check}
// REDEFINE: %{options} = bits=4 granularity=per-group group-size=27 symmetric=false
// RUN: %{check}
// REDEFINE: %{options} = bits=4 scheme=log2
// RUN: %{check}
// REDEFINE: %{options} = float-type=bf16
// RUN: %{check}
// REDEFINE: %{options} = mode=dynamic
// RUN: %{check}
// REDEFINE: %{options} = mode=dynamic bits=4
// RUN: %{check}
// REDEFINE: %{options} = mode=dynamic bits=4 granularity=per-group group-size=27
// RUN: %{check}
// REDEFINE: %{options} = mode=dynamic granularity=per-group group-size=45
// RUN: %{check}
// REDEFINE: %{flags} = --require-ties --require-clamped
// REDEFINE: %{inputs} = --input %t/xs.npy --input %t/init.npy
// REDEFINE: %{options} = mode=static calibration=%t/cal.json
// RUN: %{check}
// REDEFINE: %{options} = mode=static calibration=%t/cal.json bits=4
// RUN: %{check}
// REDEFINE: %{options} = mode=static calibration=%t/cal.json bits=4 granularity=per-group group-size=27
// RUN: %{check}
// REDEFINE: %{flags} = --require-ties
// REDEFINE: %{inputs} = --input %t/xd.npy --input %t/init.npy
// REDEFINE: %{options} = mode=dynamic symmetric=false
// RUN: %{check}
//
// Generic x86-64.
// REDEFINE: %{cpu} = x86-64
// REDEFINE: %{bf16dot} =
// RUN: %{check}
// REDEFINE: %{flags} =
// REDEFINE: %{inputs} = --input %t/x.npy --input %t/init.npy
// REDEFINE: %{options} = bits=4 granularity=per-group group-size=27 symmetric=false
// RUN: %{check}
// REDEFINE: %{options} = bits=8 scheme=log2
// RUN: %{check}
