"""compress.compile / CompiledModel / evaluate on a torch-exported CNN and
MLP: every technique and its option forms, calibration streamed from a
generator of more batches than are ever held at once, the report, the
saved shared library called through its C entry point, and evaluate's
numbers."""

import ctypes
import json
import os
import resource

import numpy as np
import pytest
import torch

import helpers  # noqa: F401  (puts the package on sys.path)
import compress
from test_torch_models import cnn, export, mlp

torch.manual_seed(0)
BATCH = 8


@pytest.fixture(scope="module")
def cnn_model():
    model = cnn().eval()
    x = torch.randn(BATCH, 3, 16, 16)
    return model, export(model, x, 13, True)


@pytest.fixture(scope="module")
def mlp_model():
    model = mlp().eval()
    return model, export(model, torch.randn(BATCH, 20), 13, True)


def data(n, shape, seed=1):
    return np.random.default_rng(seed).standard_normal(
        (n,) + tuple(shape)).astype(np.float32)


def reference(model, x):
    with torch.no_grad():
        return model(torch.from_numpy(x)).numpy()


def test_uncompressed_matches_torch(cnn_model):
    model, onnx_bytes = cnn_model
    compiled = compress.compile(onnx_bytes, input_shapes={"x": [BATCH, 3,
                                                               16, 16]})
    x = data(BATCH, (3, 16, 16))
    np.testing.assert_allclose(compiled(x), reference(model, x), rtol=1e-4,
                               atol=1e-5)
    assert compiled.steps == [("fold-batchnorm", "")]


@pytest.mark.parametrize("kwargs,step", [
    (dict(quantize="int8"), "quantize bits=8 mode=dynamic"),
    (dict(quantize="int4"), "quantize bits=4 mode=dynamic"),
    (dict(quantize="fp16"), "quantize float-type=fp16"),
    (dict(quantize="bf16"), "quantize float-type=bf16"),
    (dict(quantize="log2"), "quantize bits=8 scheme=log2"),
    (dict(quantize={"bits": 8, "granularity": "per-tensor"}),
     "quantize bits=8 granularity=per-tensor"),
    (dict(prune=0.5), "prune sparsity=0.5"),
    (dict(prune="2:4"), "prune structure=n:m n=2 m=4"),
    (dict(prune="sparsity=0.3 structure=channel"),
     "prune sparsity=0.3 structure=channel"),
    (dict(decompose="method=tucker2 rank-ratio=0.5 only-faster=false"),
     "decompose method=tucker2 rank-ratio=0.5 only-faster=false"),
])
def test_techniques(cnn_model, kwargs, step):
    model, onnx_bytes = cnn_model
    compiled = compress.compile(onnx_bytes, input_shapes={"x": [BATCH, 3,
                                                               16, 16]},
                                **kwargs)
    assert " ".join(compiled.steps[-1]) == step
    x = data(BATCH, (3, 16, 16))
    y, want = compiled(x), reference(model, x)
    cos = np.sum(y * want) / np.linalg.norm(y) / np.linalg.norm(want)
    assert y.shape == want.shape and cos > 0.9, cos
    report = compiled.report()
    assert report["compressed"]["bytes"] <= report["original"]["bytes"]


def test_calibration_is_streamed(cnn_model):
    """600 batches (about 29 MB, made one at a time) feed each data-aware
    technique's calibration; the generator is never ahead by more than one
    batch, and memory does not grow with the data."""
    model, onnx_bytes = cnn_model
    state = {"made": 0, "max_ahead": 0}

    def batches():
        rng = np.random.default_rng(3)
        for _ in range(600):
            state["made"] += 1
            yield rng.standard_normal((BATCH, 3, 16, 16)).astype(np.float32)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    compiled = compress.compile(onnx_bytes, quantize="int8",
                                prune="sparsity=0.5",
                                calibration_data=batches,
                                input_shapes={"x": [BATCH, 3, 16, 16]})
    grown = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
    assert state["made"] == 1200  # one calibration per data-aware pass
    assert grown < 100 * 1024, grown  # KiB
    assert [s[0] for s in compiled.steps] == ["fold-batchnorm", "prune",
                                              "quantize"]
    assert "method=reconstruct" in compiled.steps[1][1]
    assert "mode=static" in compiled.steps[2][1]
    x = data(BATCH, (3, 16, 16))
    y, want = compiled(x), reference(model, x)
    assert np.sum(y * want) / np.linalg.norm(y) / np.linalg.norm(want) > 0.9


def test_calibration_from_an_array_and_a_list(mlp_model):
    model, onnx_bytes = mlp_model
    x = data(64, (20,))
    for cal in (x, [x[i:i + BATCH] for i in range(0, 64, BATCH)]):
        compiled = compress.compile(
            onnx_bytes, quantize="int8", calibration_data=cal,
            input_shapes={"x": [BATCH, 20]})
        y = compiled(x[:BATCH])
        np.testing.assert_allclose(y, reference(model, x[:BATCH]),
                                   atol=0.1)


def test_evaluate(mlp_model):
    model, onnx_bytes = mlp_model
    shapes = {"x": [BATCH, 20]}
    original = compress.compile(onnx_bytes, input_shapes=shapes)
    compressed = compress.compile(onnx_bytes, quantize="int8",
                                  input_shapes=shapes)
    x = data(40, (20,))
    labels = reference(model, x).argmax(1)
    r = compress.evaluate(original, compressed, x, labels, repeat=5)
    assert r["samples"] == 40
    assert r["accuracy_original"] == 1.0
    assert 0.8 <= r["accuracy_compressed"] <= 1.0
    assert r["cosine"] > 0.99 and r["agreement"] > 0.8
    assert r["latency_ms_original"] > 0 and r["latency_ms_compressed"] > 0
    r2 = compress.evaluate(original, compressed, x[:20])
    assert "accuracy_original" not in r2 and r2["samples"] == 16


class MemRef2D(ctypes.Structure):
    _fields_ = [("allocated", ctypes.c_void_p), ("aligned", ctypes.c_void_p),
                ("offset", ctypes.c_int64), ("sizes", ctypes.c_int64 * 2),
                ("strides", ctypes.c_int64 * 2)]


def test_save_writes_model_report_and_a_callable_library(mlp_model,
                                                         tmp_path):
    model, onnx_bytes = mlp_model
    compiled = compress.compile(onnx_bytes, quantize="int8",
                                input_shapes={"x": [BATCH, 20]}, threads=1)
    out = compiled.save(str(tmp_path / "out"))
    assert sorted(os.listdir(out)) == ["libpredict.so", "model.mlir",
                                       "report.json"]
    report = json.load(open(os.path.join(out, "report.json")))
    assert report["steps"][-1]["technique"] == "quantize"
    # The C entry point: _mlir_ciface_predict(result memref*, input memref*).
    lib = ctypes.CDLL(os.path.join(out, "libpredict.so"))
    x = data(BATCH, (20,))
    inp = MemRef2D(x.ctypes.data, x.ctypes.data, 0, (BATCH, 20), (20, 1))
    res = MemRef2D()
    lib._mlir_ciface_predict(ctypes.byref(res), ctypes.byref(inp))
    assert tuple(res.sizes) == (BATCH, 5)
    y = np.ctypeslib.as_array(ctypes.cast(res.aligned, ctypes.POINTER(
        ctypes.c_float)), shape=(BATCH, 5)).copy()
    np.testing.assert_allclose(y, compiled(x), rtol=1e-6, atol=1e-6)


def call_overhead_ms(compiled, x, calls, rounds):
    """Median over `rounds` of (median time of a call from Python) minus
    (the runtime's timing of the same call), in ms."""
    import time
    differences = []
    for _ in range(rounds):
        runtime_ms = compiled.time(x, repeat=calls)[0]
        times = []
        for _ in range(calls):
            start = time.perf_counter()
            compiled(x)
            times.append(time.perf_counter() - start)
        differences.append(float(np.median(times)) * 1e3 - runtime_ms)
    return float(np.median(differences))


def test_call_overhead_over_the_runtime_timing(mlp_model):
    """Calling a compiled model from Python costs under 50 us more than the
    runtime's own timing of the same call."""
    _, onnx_bytes = mlp_model
    compiled = compress.compile(onnx_bytes, input_shapes={"x": [BATCH, 20]},
                                threads=1)
    overhead = call_overhead_ms(compiled, data(BATCH, (20,)), 2000, 1)
    assert overhead < 0.05, overhead


def test_call_overhead_with_a_large_input():
    """A large input (768 KiB) is passed to the compiled code as it is: the
    call from Python still costs under 50 us more than the runtime's timing
    (a copy of the input alone took about as much), and leaves the caller's
    array unchanged."""
    from onnx import TensorProto, helper
    graph = helper.make_graph(
        [helper.make_node("GlobalAveragePool", ["x"], ["y"])], "pool",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT,
                                       [64, 3, 32, 32])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT,
                                       [64, 3, 1, 1])])
    model = helper.make_model(graph,
                              opset_imports=[helper.make_opsetid("", 13)])
    compiled = compress.compile(model.SerializeToString(), threads=1)
    x = data(64, (3, 32, 32))
    before = x.copy()
    np.testing.assert_allclose(compiled(x), x.mean(axis=(2, 3),
                                                   keepdims=True),
                               rtol=1e-5, atol=1e-6)
    np.testing.assert_array_equal(x, before)
    overhead = call_overhead_ms(compiled, x, 300, 3)
    assert overhead < 0.05, overhead


def test_the_c_example_calls_the_saved_library(mlp_model, tmp_path):
    """examples/python/deploy.c, compiled against the saved library, reads
    inputs from stdin and prints what the Python call returns."""
    import subprocess
    _, onnx_bytes = mlp_model
    compiled = compress.compile(onnx_bytes, quantize="int8",
                                input_shapes={"x": [BATCH, 20]}, threads=1)
    out = compiled.save(str(tmp_path / "out"))
    root = os.path.dirname(os.path.dirname(helpers.HERE))
    exe = str(tmp_path / "deploy")
    clang = os.path.join(os.environ.get("LLVM_PREFIX", "/usr/lib/llvm-22"),
                         "bin", "clang")
    r = subprocess.run([clang, os.path.join(root, "examples", "python",
                                            "deploy.c"), "-o", exe,
                        "-L" + out, "-lpredict", "-Wl,-rpath," + out],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    x = data(BATCH, (20,))
    r = subprocess.run([exe, str(BATCH), "20"], capture_output=True,
                       text=True, input=" ".join("%.9g" % v for v in
                                                 x.ravel()))
    assert r.returncode == 0, r.stderr
    y = np.array([[float(v) for v in line.split()]
                  for line in r.stdout.splitlines()])
    np.testing.assert_allclose(y, compiled(x), rtol=1e-5, atol=1e-5)
