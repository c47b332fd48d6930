"""Calls of a compiled model from Python: a static model runs through a
prepared call of the runtime (the extension compress._fastcall, one C call
per inference); arrays that are not exactly what was prepared take the
general path, which converts them or explains what is wrong. Results,
threads, a closed module, and the overhead with cold caches."""

import threading
import time

import numpy as np
import pytest
from onnx import TensorProto, helper

import helpers  # noqa: F401  (puts the package on sys.path)
import compress
from compress import runtime


def two_outputs_model():
    """y = relu(x) (float32 [4, 8]) and z = x * 2 + b (b an int input
    [8] cast to float): two inputs of different dtypes, two outputs."""
    graph = helper.make_graph(
        [helper.make_node("Relu", ["x"], ["y"]),
         helper.make_node("Cast", ["b"], ["bf"], to=TensorProto.FLOAT),
         helper.make_node("Constant", [], ["two"],
                          value=helper.make_tensor("two", TensorProto.FLOAT,
                                                   [], [2.0])),
         helper.make_node("Mul", ["x", "two"], ["x2"]),
         helper.make_node("Add", ["x2", "bf"], ["z"])],
        "two", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [4, 8]),
                helper.make_tensor_value_info("b", TensorProto.INT32, [8])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [4, 8]),
         helper.make_tensor_value_info("z", TensorProto.FLOAT, [4, 8])])
    return helper.make_model(
        graph, opset_imports=[helper.make_opsetid("", 13)]).SerializeToString()


@pytest.fixture(scope="module")
def compiled():
    return compress.compile(two_outputs_model(), threads=1)


def inputs(seed=0):
    rng = np.random.default_rng(seed)
    return (rng.standard_normal((4, 8)).astype(np.float32),
            rng.integers(-5, 5, 8).astype(np.int32))


def expected(x, b):
    return np.maximum(x, 0), x * 2 + b.astype(np.float32)


def check(results, x, b):
    assert isinstance(results, tuple) and len(results) == 2
    for got, want in zip(results, expected(x, b)):
        assert got.dtype == np.float32 and got.shape == (4, 8)
        np.testing.assert_array_equal(got, want)


def test_a_static_model_has_a_prepared_call(compiled):
    assert runtime.fastcall() is not None, \
        "the build has no compress._fastcall extension"
    assert compiled._fast is not None
    x, b = inputs()
    # The prepared call itself answers exact arrays...
    check(compiled._fast((x, b)), x, b)
    # ... and declines anything else (the general path takes it).
    assert compiled._fast((x.astype(np.float64), b)) is None
    assert compiled._fast((x,)) is None
    assert compiled._fast((x[:2], b)) is None
    assert compiled._fast((np.asfortranarray(x), b)) is None
    assert compiled._fast((x.tolist(), b)) is None
    assert compiled._fast((x.astype(">f4"), b)) is None


def test_results_of_both_paths_agree(compiled):
    for seed in range(3):
        x, b = inputs(seed)
        check(compiled(x, b), x, b)
        # The general path: the same numbers.
        check(tuple(compiled._caller([x, b])), x, b)


@pytest.mark.parametrize("convert", [
    lambda x: x.astype(np.float64),          # converted to float32
    lambda x: x.tolist(),                    # a list
    lambda x: np.asfortranarray(x),          # not C-ordered
    lambda x: np.repeat(x, 2, axis=1)[:, ::2],  # a strided view
    lambda x: x.astype(">f4"),               # big-endian
])
def test_other_arrays_take_the_general_path(compiled, convert):
    x, b = inputs(1)
    check(compiled(convert(x), b), x, b)


def test_unaligned_arrays_take_the_general_path(compiled):
    x, b = inputs(2)
    raw = np.zeros(x.nbytes + 1, np.uint8)
    unaligned = raw[1:].view(np.float32).reshape(4, 8)
    unaligned[...] = x
    assert not unaligned.flags.aligned
    check(compiled(unaligned, b), x, b)


def test_bad_calls_still_explain(compiled):
    x, b = inputs()
    with pytest.raises(compress.CompressError, match=r"shape \[4, 8\]"):
        compiled(x[:2], b)
    with pytest.raises(compress.CompressError, match="must be int32"):
        compiled(x, b.astype(np.float32))
    with pytest.raises(compress.CompressError, match="takes 2 inputs"):
        compiled(x)


def test_inputs_are_not_modified(compiled):
    x, b = inputs(3)
    before = x.copy(), b.copy()
    compiled(x, b)
    np.testing.assert_array_equal(x, before[0])
    np.testing.assert_array_equal(b, before[1])


def test_results_are_fresh_unless_dropped(compiled):
    """Result arrays come from a small pool: one is written again only
    after the caller dropped every reference to it (views included)."""
    import sys
    x1, b = inputs(4)
    kept = [compiled(x, b) for x in (x1, x1 + 1, x1 + 2, x1 + 3)]
    view = compiled(x1 + 4, b)[1][1:]
    first = compiled(x1 + 5, b)
    count = sys.getrefcount(first[0])
    assert count == 3  # the tuple, the pool, the argument
    ids = [id(a) for a in first]
    del first
    again = compiled(x1 + 6, b)
    assert [id(a) for a in again] == ids  # the dropped arrays, reused
    for _ in range(3):
        compiled(x1 + 7, b)
    for i, results in enumerate(kept):
        check(results, x1 + i, b)
    np.testing.assert_array_equal(view, expected(x1 + 4, b)[1][1:])
    check(again, x1 + 6, b)


def test_concurrent_calls_from_threads(compiled):
    """Threads share one compiled model: a call that finds the prepared
    call busy takes the general path; every result is right."""
    errors = []

    def work(seed):
        try:
            for i in range(200):
                x, b = inputs(seed * 1000 + i % 7)
                results = compiled(x, b)
                for got, want in zip(results, expected(x, b)):
                    if not np.array_equal(got, want):
                        errors.append((seed, i))
        except Exception as e:  # noqa: BLE001 (reported below)
            errors.append(repr(e))

    threads = [threading.Thread(target=work, args=(t,)) for t in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []


def test_a_closed_module_raises():
    model = compress.compile(two_outputs_model(), threads=1)
    x, b = inputs()
    model._module.close()
    assert model._fast((x, b)) is None
    with pytest.raises(compress.RuntimeError_, match="handle is NULL"):
        model(x, b)


def test_prepare_checks_its_arguments(compiled):
    module = compiled._module
    with pytest.raises(compress.RuntimeError_,
                       match=r"shape \[4x9\] but '@predict' expects"):
        module.prepare(compiled.function, [((4, 9), np.float32),
                                           ((8,), np.int32)],
                       [np.float32, np.float32])
    with pytest.raises(ValueError, match="8-byte elements cannot be passed"):
        module.prepare(compiled.function, [((4, 8), np.float64),
                                           ((8,), np.int32)],
                       [np.float32, np.float32])
    with pytest.raises(compress.RuntimeError_, match="takes 2 argument"):
        module.prepare(compiled.function, [((4, 8), np.float32)],
                       [np.float32])


def test_specializations_run_through_prepared_calls():
    """A model with a dynamic batch: the static build made for a size has
    a prepared call, which runs the calls at that size."""
    graph = helper.make_graph(
        [helper.make_node("Relu", ["x"], ["y"])], "relu",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["n", 8])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["n", 8])])
    model = compress.compile(helper.make_model(
        graph, opset_imports=[helper.make_opsetid("", 13)])
        .SerializeToString(), threads=1)
    assert model._fast is None  # the generic build takes any batch
    x = np.random.default_rng(0).standard_normal((3, 8)).astype(np.float32)
    np.testing.assert_array_equal(model(x), np.maximum(x, 0))
    _, _, prepared = model._specializer.cache[(3,)]
    assert prepared is not None and prepared.last_run_ms > 0
    before = prepared.last_run_ms
    np.testing.assert_array_equal(model(-x), np.maximum(-x, 0))
    assert prepared.last_run_ms != before
    # Other arrays of that size still convert.
    np.testing.assert_array_equal(model(x.astype(np.float64)),
                                  np.maximum(x, 0))


def test_call_overhead_with_cold_caches():
    """What a large model leaves behind: each call finds the caches full
    of other data (64 MiB written just before). The call from Python still
    costs under 50 us more than the runtime's timing of the same call."""
    graph = helper.make_graph(
        [helper.make_node("Relu", ["x"], ["y"])], "relu",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 1000])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 1000])])
    model = compress.compile(helper.make_model(
        graph, opset_imports=[helper.make_opsetid("", 13)])
        .SerializeToString(), threads=1)
    x = np.random.default_rng(0).standard_normal((1, 1000)).astype(
        np.float32)
    big = np.ones(64 << 18, np.float32)
    differences = []
    for _ in range(3):
        runtime_ms = model.time(x, repeat=500)[0]
        times = []
        for _ in range(100):
            big += 1.0
            start = time.perf_counter()
            model(x)
            times.append(time.perf_counter() - start)
        differences.append(float(np.median(times)) * 1e3 - runtime_ms)
    overhead = float(np.median(differences))
    assert overhead < 0.05, overhead


def test_light_resnet50_imports_and_compiles_within_limits():
    """ResNet-50 from ONNX's data (the `light` model, splat weights),
    imported and compiled in a fresh process, JIT code generation
    included: under 30 s and 2 GiB at its peak."""
    import os
    import subprocess
    import sys
    model = os.path.join(helpers.HERE, "data", "onnx-backend", "light",
                         "light_resnet50.onnx")
    script = (
        "import resource, sys, time\n"
        "sys.path.insert(0, %r)\n"
        "start = time.perf_counter()\n"
        "import compress\n"
        "compress.compile(%r, threads=2)\n"
        "print(time.perf_counter() - start,\n"
        "      resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024)\n"
        % (os.path.join(os.path.dirname(os.path.dirname(helpers.HERE)),
                        "python"), model))
    r = subprocess.run([sys.executable, "-c", script], capture_output=True,
                       text=True)
    assert r.returncode == 0, r.stderr
    seconds, peak = (float(v) for v in r.stdout.split())
    assert seconds < 30, seconds
    assert peak < 2 << 30, peak
