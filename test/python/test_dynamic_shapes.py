"""Dynamic dimensions stay dynamic: a model whose inputs name a dimension
(dim_param) or leave it unknown is imported with that size read at run
time, compiled once, and called with any size there. Op by op against
numpy and torch at two batch sizes; torch exports with dynamic axes; the
shape-computing subgraphs around Shape; every technique on a dynamic
model; and the clear errors where a dynamic size cannot flow."""

import numpy as np
import onnx
import pytest
import torch
import torch.nn.functional as F
from onnx import TensorProto, helper, numpy_helper

from helpers import assert_close
import compress
from compress import CompressError, ImportError_
from compress.importer import import_onnx
from compress.runtime import Module
from test_torch_models import Block, cnn, mlp

rng = np.random.default_rng(3)


def rand(*shape):
    return rng.uniform(-1, 1, shape).astype(np.float32)


def model_of(nodes, inputs, initializers=None, opset=17, outputs=("y",)):
    """A graph of `nodes` over float inputs {name: shape} (str sizes are
    dim_params, None unknown)."""
    graph = helper.make_graph(
        nodes, "g",
        [helper.make_tensor_value_info(k, TensorProto.FLOAT, s)
         for k, s in inputs.items()],
        [helper.make_tensor_value_info(o, TensorProto.FLOAT, None)
         for o in outputs],
        [numpy_helper.from_array(v, k)
         for k, v in (initializers or {}).items()])
    return helper.make_model(graph, opset_imports=[
        helper.make_opsetid("", opset)])


def compiled(model, **kwargs):
    imported = import_onnx(model, **kwargs)
    module = Module(imported.text, "threads=1")
    return imported, lambda *xs: imported.results(module.call(
        imported.function, imported.arguments(list(xs))))


def node(op, inputs, **attrs):
    return helper.make_node(op, inputs, ["y"], **attrs)


W = rand(6, 12)
K = rand(8, 3, 3, 3)
SCALE, BIAS = rand(3) + 2, rand(3)

# (name, nodes, input shape after the batch, initializers, reference(x))
CASES = [
    ("relu", [node("Relu", ["x"])], (3, 4), {}, lambda x: np.maximum(x, 0)),
    ("add-broadcast", [node("Add", ["x", "c"])], (3, 4, 5),
     {"c": SCALE.reshape(3, 1, 1)}, lambda x: x + SCALE.reshape(3, 1, 1)),
    ("gemm", [node("Gemm", ["x", "w", "b"], transB=1)], (12,),
     {"w": W, "b": BIAS[:1].repeat(6)}, lambda x: x @ W.T + BIAS[0]),
    ("matmul-3d", [node("MatMul", ["x", "w"])], (5, 6), {"w": W},
     lambda x: x @ W),
    ("conv", [node("Conv", ["x", "k"], pads=[1, 0, 1, 2], strides=[2, 1])],
     (3, 7, 6), {"k": K},
     lambda x: F.conv2d(F.pad(torch.from_numpy(x), (0, 2, 1, 1)),
                        torch.from_numpy(K), stride=(2, 1)).numpy()),
    ("depthwise", [node("Conv", ["x", "k"], group=3, pads=[1, 1, 1, 1])],
     (3, 5, 5), {"k": K[:3, :1]},
     lambda x: F.conv2d(torch.from_numpy(x), torch.from_numpy(K[:3, :1]),
                        padding=1, groups=3).numpy()),
    ("maxpool", [node("MaxPool", ["x"], kernel_shape=[2, 2], strides=[2, 2])],
     (3, 6, 6), {}, lambda x: F.max_pool2d(torch.from_numpy(x), 2).numpy()),
    ("avgpool", [node("AveragePool", ["x"], kernel_shape=[3, 3],
                      pads=[1, 1, 1, 1])], (3, 5, 5), {},
     lambda x: F.avg_pool2d(torch.from_numpy(x), 3, 1, 1,
                            count_include_pad=False).numpy()),
    ("global-pool", [node("GlobalAveragePool", ["x"])], (3, 4, 5), {},
     lambda x: x.mean(axis=(2, 3), keepdims=True)),
    ("batchnorm", [node("BatchNormalization", ["x", "s", "b", "m", "v"])],
     (3, 4, 4), {"s": SCALE, "b": BIAS, "m": BIAS / 2, "v": SCALE},
     lambda x: (x - (BIAS / 2).reshape(3, 1, 1)) / np.sqrt(
         SCALE.reshape(3, 1, 1) + 1e-5) * SCALE.reshape(3, 1, 1) +
     BIAS.reshape(3, 1, 1)),
    ("flatten", [node("Flatten", ["x"])], (3, 4), {},
     lambda x: x.reshape(len(x), -1)),
    ("reshape-0", [node("Reshape", ["x", "s"])], (3, 4),
     {"s": np.array([0, -1], np.int64)}, lambda x: x.reshape(len(x), 12)),
    ("reshape-rest", [node("Reshape", ["x", "s"])], (3, 4),
     {"s": np.array([-1, 6], np.int64)}, lambda x: x.reshape(-1, 6)),
    ("transpose", [node("Transpose", ["x"], perm=[1, 0, 2])], (3, 4), {},
     lambda x: x.transpose(1, 0, 2)),
    ("softmax", [node("Softmax", ["x"], axis=-1)], (3, 4), {},
     lambda x: torch.softmax(torch.from_numpy(x), -1).numpy()),
    ("reduce", [node("ReduceMean", ["x"], axes=[1])], (3, 4), {},
     lambda x: x.mean(axis=1, keepdims=True)),
    ("concat", [node("Concat", ["x", "x"], axis=1)], (3, 4), {},
     lambda x: np.concatenate([x, x], 1)),
    ("slice", [node("Slice", ["x", "st", "en", "ax"])], (6, 4),
     {"st": np.array([1], np.int64), "en": np.array([5], np.int64),
      "ax": np.array([1], np.int64)}, lambda x: x[:, 1:5]),
    ("pad", [node("Pad", ["x", "p"])], (3, 4),
     {"p": np.array([0, 1, 0, 0, 2, 1], np.int64)},
     lambda x: np.pad(x, ((0, 0), (1, 2), (0, 1)))),
    ("layernorm", [node("LayerNormalization", ["x", "s", "b"], axis=-1)],
     (4, 3), {"s": SCALE, "b": BIAS},
     lambda x: (x - x.mean(-1, keepdims=True)) / np.sqrt(
         x.var(-1, keepdims=True) + 1e-5) * SCALE + BIAS),
    ("unsqueeze-squeeze", [
        helper.make_node("Unsqueeze", ["x", "a"], ["u"]),
        node("Squeeze", ["u", "a"])], (3, 4),
     {"a": np.array([2], np.int64)}, lambda x: x),
]


@pytest.mark.parametrize("name,nodes,shape,inits,reference", CASES,
                         ids=[c[0] for c in CASES])
def test_ops_with_a_dynamic_batch(name, nodes, shape, inits, reference):
    model = model_of(nodes, {"x": ["N", *shape]}, inits)
    imported, call = compiled(model)
    assert imported.inputs[0][1][0].symbol == "N"
    assert "tensor<?x" in imported.text
    for n in (1, 3):
        x = rand(n, *shape)
        (got,) = call(x)
        assert_close(got, reference(x), rtol=1e-5, atol=1e-5)


def batch_size_nodes():
    """x.size(0) as exporters compute it: n (a scalar) and n1 ([n]); needs
    the initializers "zero" and "axes"."""
    return [helper.make_node("Shape", ["x"], ["s"]),
            helper.make_node("Gather", ["s", "zero"], ["n"], axis=0),
            helper.make_node("Unsqueeze", ["n", "axes"], ["n1"])]


def test_the_shape_subgraph_of_a_flatten_keeps_the_batch():
    """x.view(x.size(0), -1) as exporters write it: Shape -> Gather ->
    Unsqueeze -> Concat -> Reshape, with the batch unknown."""
    nodes = batch_size_nodes() + [
        helper.make_node("Concat", ["n1", "minus1"], ["target"], axis=0),
        helper.make_node("Reshape", ["x", "target"], ["r"]),
        # The size computed from the shape, divided and multiplied.
        helper.make_node("Gather", ["s", "one"], ["c"], axis=0),
        helper.make_node("Mul", ["n", "c"], ["nc"]),
        helper.make_node("Div", ["nc", "c"], ["n2"]),
        helper.make_node("Unsqueeze", ["n2", "axes"], ["n3"]),
        helper.make_node("Concat", ["n3", "four", "minus1"], ["t2"],
                         axis=0),
        helper.make_node("Reshape", ["r", "t2"], ["y"]),
    ]
    inits = {"zero": np.array(0, np.int64), "one": np.array(1, np.int64),
             "axes": np.array([0], np.int64),
             "minus1": np.array([-1], np.int64),
             "four": np.array([4], np.int64)}
    model = model_of(nodes, {"x": [None, 3, 4]}, inits, opset=13)
    imported, call = compiled(model)
    assert imported.inputs[0][1][0].symbol == "x_0"
    for n in (2, 5):
        x = rand(n, 3, 4)
        (got,) = call(x)
        assert_close(got, x.reshape(n, 4, 3), rtol=0, atol=0)


def export(model, shape, opset, axes):
    import io
    f = io.BytesIO()
    torch.onnx.export(model.eval(), torch.randn(*shape), f,
                      input_names=["x"], output_names=["y"],
                      dynamic_axes={"x": axes, "y": {0: axes[0]}},
                      opset_version=opset)
    return f.getvalue()


@pytest.mark.parametrize("opset", [11, 13, 17])
@pytest.mark.parametrize("name,make,shape", [
    ("mlp", mlp, (4, 20)), ("cnn", cnn, (2, 3, 16, 16)),
    ("block", Block, (2, 7, 32))])
def test_torch_exports_with_a_dynamic_batch(name, make, shape, opset):
    torch.manual_seed(0)
    model = make().eval()
    onnx_bytes = export(model, shape, opset, {0: "batch"})
    c = compress.compile(onnx_bytes, threads=1)
    generic = compress.compile(onnx_bytes, threads=1, specialize=False)
    assert c.inputs[0][1] == (None,) + shape[1:]
    for n in (1, 5):
        x = rand(n, *shape[1:])
        with torch.no_grad():
            want = model(torch.from_numpy(x)).numpy()
        assert_close(c(x), want, rtol=1e-4, atol=1e-5)
        assert_close(generic(x), want, rtol=1e-4, atol=1e-5)
    assert c.specializations == [(1,), (5,)]
    assert generic.specializations == []


def test_every_technique_on_a_dynamic_batch():
    """Calibration splits the data in batches of 32; the compressed models
    take any batch and stay close to the original."""
    torch.manual_seed(0)
    model = cnn().eval()
    onnx_bytes = export(model, (2, 3, 16, 16), 13, {0: "batch"})
    data = rand(70, 3, 16, 16)
    original = compress.compile(onnx_bytes, threads=1)
    x = rand(3, 3, 16, 16)
    for kwargs, bound in [(dict(quantize="int8"), 0.01),
                          (dict(quantize="int8", calibration_data=data),
                           0.01),
                          (dict(quantize="fp16"), 1e-3),
                          (dict(prune=0.5, calibration_data=data), 0.1),
                          (dict(prune="2:4"), 0.3),
                          (dict(decompose="method=tucker2 rank-ratio=0.5",
                                calibration_data=data), 0.5)]:
        c = compress.compile(onnx_bytes, threads=1, **kwargs)
        assert c.inputs[0][1][0] is None
        y, want = c(x), original(x)
        err = np.linalg.norm(y - want) / np.linalg.norm(want)
        assert 0 < err < bound, (kwargs, err)
    result = compress.evaluate(original, c, data)
    assert result["samples"] == 64  # two batches of 32


def test_input_shapes_fix_or_keep_dimensions():
    model = model_of([node("Relu", ["x"])], {"x": ["N", "C"]})
    imported = import_onnx(model, input_shapes={"x": [2, None]})
    assert "tensor<2x?xf32>" in imported.text
    imported = import_onnx(model, input_shapes={"x": [2, 3]})
    assert "?" not in imported.text.split("{-#")[0]


def test_inputs_sharing_a_dimension_must_agree():
    model = model_of([node("Add", ["a", "b"])], {"a": ["N", 3],
                                                 "b": ["N", 3]})
    imported = import_onnx(model)
    assert imported.text.count("tensor.dim") == 1
    c = compress.compile(model.SerializeToString(), threads=1)
    a, b = rand(4, 3), rand(4, 3)
    assert_close(c(a, b), a + b)
    with pytest.raises(CompressError, match="'b' has N = 2 .* 'a' has 4"):
        c(a, b[:2])
    with pytest.raises(CompressError, match="must be positive"):
        c(a[:0], b[:0])
    with pytest.raises(CompressError, match=r"shape \[\?, 3\]"):
        c(rand(4, 4), b)


@pytest.mark.parametrize("nodes,shape,inits,message", [
    ([node("Concat", ["x", "x"], axis=0)], (3,), {}, "a sum of sizes"),
    ([node("Pad", ["x", "p"])], (3,),
     {"p": np.array([1, 0, 0, 0], np.int64)}, "a sum of sizes"),
    ([node("Reshape", ["x", "s"])], (3,), {"s": np.array([2, -1], np.int64)},
     "a remainder by 2"),
    ([node("ReduceMean", ["x"], axes=[0])], (3,), {}, "'N'"),
    ([node("Slice", ["x", "st", "en"])], (3,),
     {"st": np.array([1], np.int64), "en": np.array([2], np.int64)}, "'N'"),
    ([helper.make_node("Shape", ["x"], ["s"]),
      helper.make_node("Cast", ["s"], ["f"], to=TensorProto.FLOAT),
      node("Add", ["x", "f"])], (2,), {}, "'N'"),
    # Whether N is 1 is known only at run time.
    ([node("Squeeze", ["x"])], (1, 4), {}, "a Squeeze without axes"),
    ([helper.make_node("Shape", ["x"], ["s"]),
      helper.make_node("Gather", ["s", "zero"], ["n"], axis=0),
      helper.make_node("Equal", ["n", "one"], ["c"]),
      helper.make_node("Where", ["c", "ten", "twenty"], ["w"]),
      node("Add", ["x", "w"])], (1,),
     {"zero": np.array(0, np.int64), "one": np.array(1, np.int64),
      "ten": np.array([10.0], np.float32),
      "twenty": np.array([20.0], np.float32)}, "a comparison"),
    # A constant of a batch baked in at export does not broadcast with N.
    ([node("Gemm", ["x", "w", "c"])], (2,),
     {"w": W[:2, :3], "c": rand(4, 3)}, "a broadcast"),
])
def test_where_a_dynamic_size_cannot_flow(nodes, shape, inits, message):
    model = model_of(nodes, {"x": ["N", *shape]}, inits)
    with pytest.raises(ImportError_, match=r"node '.*' \(.*\): .*" + message):
        import_onnx(model)


def test_a_product_of_two_dynamic_sizes_is_an_error():
    torch.manual_seed(0)
    onnx_bytes = export(Block(), (2, 7, 32), 13, {0: "batch", 1: "seq"})
    with pytest.raises(ImportError_, match=r"\(MatMul\): the dynamic "
                       "dimension .* a product of two dynamic sizes; fix "
                       "it with input_shapes"):
        import_onnx(onnx_bytes)
    # Fixing one of them is enough.
    c = compress.compile(onnx_bytes, input_shapes={"x": [None, 7, 32]},
                         threads=1)
    assert c.inputs[0][1] == (None, 7, 32)
    proto = onnx.load_model_from_string(onnx_bytes)
    assert proto.graph.input[0].type.tensor_type.shape.dim[1].dim_param


def test_sensitivity_of_a_dynamic_model():
    torch.manual_seed(0)
    onnx_bytes = export(mlp(), (4, 20), 13, {0: "batch"})
    result = compress.sensitivity(
        onnx_bytes, rand(64, 20), threads=1, repeat=2,
        candidates=[("int8", "quantize", {"bits": "8"})])
    assert len(result["layers"]) == 3
    for layer in result["layers"]:
        (row,) = layer["candidates"]
        assert row["status"] == "ok" and 0 < row["output_error"] < 0.05


def test_specializations_are_cached_and_bounded():
    """The first call at new sizes builds a static version (the same steps
    replayed with the calibration statistics kept from compile); after
    MAX_SPECIALIZATIONS sizes the generic code runs the rest, computing the
    same."""
    torch.manual_seed(0)
    model = mlp().eval()
    onnx_bytes = export(model, (4, 20), 13, {0: "batch"})
    data = rand(64, 20)
    c = compress.compile(onnx_bytes, threads=1, quantize="int8",
                         calibration_data=data)
    generic = compress.compile(onnx_bytes, threads=1, quantize="int8",
                               calibration_data=data, specialize=False)
    sizes = list(range(1, compress.api.MAX_SPECIALIZATIONS + 3))
    for n in sizes + sizes:
        x = data[:n]
        assert_close(c(x), generic(x), rtol=1e-5, atol=1e-6)
    assert c.specializations == [(n,) for n in
                                 sizes[:compress.api.MAX_SPECIALIZATIONS]]
    assert c.time(data[:2], repeat=2)[0] > 0


def test_sizes_divide_toward_zero():
    """ONNX's integer Div truncates: [N, -6] / [1, 4] is [N, -1]."""
    nodes = batch_size_nodes() + [
        helper.make_node("Concat", ["n1", "minus6"], ["t"], axis=0),
        helper.make_node("Div", ["t", "by"], ["target"]),
        node("Reshape", ["x", "target"]),
    ]
    inits = {"zero": np.array(0, np.int64), "axes": np.array([0], np.int64),
             "minus6": np.array([-6], np.int64),
             "by": np.array([1, 4], np.int64)}
    _, call = compiled(model_of(nodes, {"x": ["N", 2, 2]}, inits))
    x = rand(3, 2, 2)
    assert_close(call(x)[0], x.reshape(3, 4), rtol=0, atol=0)


def test_a_dynamic_size_as_a_graph_output_is_an_error():
    model = model_of([helper.make_node("Shape", ["x"], ["y"])],
                     {"x": ["N", 3]})
    with pytest.raises(ImportError_, match="graph output 'y': the dynamic "
                       "dimension 'N'.*input_shapes"):
        import_onnx(model)


def test_calls_from_several_threads():
    import threading
    torch.manual_seed(0)
    model = mlp().eval()
    c = compress.compile(export(model, (4, 20), 13, {0: "batch"}),
                         threads=1)
    xs = [rand(n, 20) for n in (3, 3, 5, 3, 5, 5, 3, 5)]
    want = [c(x) for x in xs]
    errors = []

    def work(k):
        for _ in range(50):
            for i in range(k % 2, len(xs), 2):
                if not np.array_equal(c(xs[i]), want[i]):
                    errors.append(i)
    threads = [threading.Thread(target=work, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors


def test_small_calibration_sets_and_shared_sizes():
    torch.manual_seed(0)
    onnx_bytes = export(mlp(), (4, 20), 13, {0: "batch"})
    # Fewer samples than one batch of 32: one shorter batch.
    c = compress.compile(onnx_bytes, threads=1, quantize="int8",
                         calibration_data=rand(10, 20))
    assert c(rand(2, 20)).shape == (2, 5)
    model = model_of([helper.make_node("MatMul", ["a", "w"], ["h"]),
                      node("Add", ["h", "b"])], {"a": ["N", 12],
                                                 "b": ["N", 6]},
                     {"w": W.T.copy()})
    with pytest.raises(CompressError, match="calibration batch 1: input "
                       "'b' has N = 2"):
        compress.compile(model.SerializeToString(), threads=1,
                         prune=0.5, calibration_data=[[rand(4, 12),
                                                       rand(2, 6)]])


def test_a_scalar_input():
    model = helper.make_model(helper.make_graph(
        [node("Mul", ["x", "s"])], "g",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["N", 2]),
         helper.make_tensor_value_info("s", TensorProto.FLOAT, [])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, None)]),
        opset_imports=[helper.make_opsetid("", 17)])
    c = compress.compile(model.SerializeToString(), threads=1)
    x = rand(3, 2)
    assert_close(c(x, 2.5), x * 2.5)
