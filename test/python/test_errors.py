"""Bad inputs give clear errors, never a crash or a wrong model: corrupt,
truncated and empty ONNX files, unsupported ops and attribute values
(named with the node), bad input_shapes, wrong input counts, shapes and
dtypes at call time, bad options, a missing calibration, and the CLI's bad
arguments (non-zero exit, one line)."""

import os
import subprocess
import sys

import numpy as np
import pytest
import torch

from helpers import HERE, single_node
import compress
from compress import CompressError, ImportError_
from test_torch_models import export, mlp

ROOT = os.path.dirname(os.path.dirname(HERE))


@pytest.fixture(scope="module")
def mlp_bytes():
    return export(mlp().eval(), torch.randn(4, 20), 13, True)


def test_missing_corrupt_truncated_and_empty_files(tmp_path, mlp_bytes):
    with pytest.raises(ImportError_, match="no such file"):
        compress.import_onnx(str(tmp_path / "missing.onnx"))
    bad = tmp_path / "garbage.onnx"
    bad.write_bytes(b"\x08\x07 this is not a protobuf \xff\xff\xff")
    with pytest.raises(ImportError_, match="cannot read|empty graph"):
        compress.import_onnx(str(bad))
    cut = tmp_path / "truncated.onnx"
    cut.write_bytes(mlp_bytes[:len(mlp_bytes) // 2])
    with pytest.raises(ImportError_, match="cannot read|empty graph|not "
                       "produced"):
        compress.import_onnx(str(cut), input_shapes={"x": [4, 20]})
    empty = tmp_path / "empty.onnx"
    empty.write_bytes(b"")
    with pytest.raises(ImportError_, match="empty graph"):
        compress.import_onnx(str(empty))


def test_unsupported_op_names_the_node():
    x = np.zeros((2, 3), np.float32)
    model = single_node("Hardmax", {"x": x})
    with pytest.raises(ImportError_, match=r"node 'y0' \(Hardmax\): op "
                       "Hardmax is not supported"):
        compress.import_onnx(model)


def test_unsupported_attribute_values_name_node_and_value():
    x = np.zeros((1, 2, 4, 4), np.float32)
    model = single_node("Resize", {"x": x}, initializers={
        "roi": np.zeros(0, np.float32),
        "scales": np.array([1, 1, 2, 2], np.float32)}, mode="cubic")
    with pytest.raises(ImportError_, match=r"\(Resize\): mode 'cubic' is "
                       "not supported"):
        compress.import_onnx(model)
    model = single_node("Conv", {"x": x}, initializers={
        "w": np.zeros((2, 2, 3, 3), np.float32)}, auto_pad="WHATEVER")
    with pytest.raises(ImportError_, match="auto_pad 'WHATEVER'"):
        compress.import_onnx(model)
    model = single_node("Transpose", {"x": x}, perm=[0, 0, 1, 2])
    with pytest.raises(ImportError_, match="not a permutation"):
        compress.import_onnx(model)


def test_bad_input_shapes(mlp_bytes):
    """(Dynamic dimensions that cannot flow: test_dynamic_shapes.py.)"""
    with pytest.raises(ImportError_, match="contradicts"):
        compress.import_onnx(mlp_bytes, input_shapes={"x": [4, 21]})
    with pytest.raises(ImportError_, match="not an input"):
        compress.import_onnx(mlp_bytes, input_shapes={"nope": [4, 20]})
    with pytest.raises(ImportError_, match="rank"):
        compress.import_onnx(mlp_bytes, input_shapes={"x": [4]})
    with pytest.raises(ImportError_, match="must be positive"):
        compress.import_onnx(mlp_bytes, input_shapes={"x": [0, 20]})
    with pytest.raises(ImportError_, match="integers or None"):
        compress.import_onnx(mlp_bytes, input_shapes={"x": ["four", 20]})


def test_wrong_inputs_at_call_time(mlp_bytes):
    compiled = compress.compile(mlp_bytes, input_shapes={"x": [4, 20]})
    with pytest.raises(CompressError, match="takes 1 inputs"):
        compiled()
    with pytest.raises(CompressError, match="must have shape"):
        compiled(np.zeros((3, 20), np.float32))
    with pytest.raises(CompressError, match="must be float32, got int64"):
        compiled(np.zeros((4, 20), np.int64))
    # float64 is converted.
    assert compiled(np.zeros((4, 20))).shape == (4, 5)


@pytest.mark.parametrize("kwargs,message", [
    (dict(quantize="int3"), "expected int8, int4"),
    (dict(quantize="bits=3"), "bits"),
    (dict(quantize="mode=static"), "needs calibration_data"),
    (dict(prune=1.5), r"in \[0, 1\)"),
    (dict(prune="3:2"), "n"),
    (dict(prune="a:b"), "N:M"),
    (dict(decompose="rank=0"), "rank"),
    (dict(decompose="banana"), "key=value"),
    (dict(threads=0), "threads"),
    (dict(calibration_data=[], quantize="int8"), "no batches"),
])
def test_bad_options(mlp_bytes, kwargs, message):
    with pytest.raises(CompressError, match=message):
        compress.compile(mlp_bytes, input_shapes={"x": [4, 20]}, **kwargs)


def test_calibration_batches_of_the_wrong_shape(mlp_bytes):
    with pytest.raises(CompressError, match="calibration failed.*shape"):
        compress.compile(mlp_bytes, quantize="int8",
                         input_shapes={"x": [4, 20]},
                         calibration_data=[np.zeros((4, 21), np.float32)])


def cli(*args, cwd=None):
    env = dict(os.environ, PYTHONPATH=os.path.join(ROOT, "python"))
    return subprocess.run([sys.executable, "-m", "compress", *args],
                          capture_output=True, text=True, env=env, cwd=cwd)


def test_cli_bad_arguments(tmp_path, mlp_bytes):
    model = tmp_path / "m.onnx"
    model.write_bytes(mlp_bytes)
    out = str(tmp_path / "out")
    r = cli(str(tmp_path / "nope.onnx"), "-o", out)
    assert r.returncode == 1 and "no such file" in r.stderr
    bad = tmp_path / "bad.onnx"
    bad.write_bytes(b"\x01\x02\x03")
    r = cli(str(bad), "-o", out)
    assert r.returncode == 1 and "error:" in r.stderr
    r = cli(str(model), "--quantize", "int3", "-o", out)
    assert r.returncode == 1 and "expected int8" in r.stderr
    r = cli(str(model), "--prune", "1.5", "-o", out)
    assert r.returncode == 1 and "[0, 1)" in r.stderr
    r = cli(str(model), "--calibrate", str(tmp_path / "none.npz"),
            "--quantize", "int8", "-o", out)
    assert r.returncode == 1 and "no such data file" in r.stderr
    np.savez(tmp_path / "nox.npz", z=np.zeros(3))
    r = cli(str(model), "--eval", str(tmp_path / "nox.npz"), "-o", out)
    assert r.returncode == 1 and "no array 'x'" in r.stderr
    np.savez(tmp_path / "shape.npz", x=np.zeros((8, 21), np.float32))
    r = cli(str(model), "--eval", str(tmp_path / "shape.npz"), "--batch",
            "4", "-o", out)
    assert r.returncode == 1 and "samples of shape [21]" in r.stderr
    r = cli(str(model), "--input-shape", "x=4,0", "-o", out)
    assert r.returncode == 1 and "positive" in r.stderr
    r = cli(str(model), "--input-shape", "y=4,20", "-o", out)
    assert r.returncode == 1 and "not an input" in r.stderr
    r = cli(str(model))
    assert r.returncode == 2 and "-o" in r.stderr
    for line in (r.stderr.strip().splitlines()[-1:]):
        assert "Traceback" not in line


def test_cli_end_to_end(tmp_path):
    model = mlp().eval()
    x = np.random.default_rng(2).standard_normal((64, 20)).astype(
        np.float32)
    with torch.no_grad():
        y = model(torch.from_numpy(x)).argmax(1).numpy()
    path = tmp_path / "m.onnx"
    path.write_bytes(export(model, torch.randn(8, 20), 13, True))
    np.savez(tmp_path / "d.npz", x=x, y=y)
    out = tmp_path / "out"
    r = cli(str(path), "--quantize", "int8", "--prune", "0.3",
            "--calibrate", str(tmp_path / "d.npz"), "--eval",
            str(tmp_path / "d.npz"), "--batch", "8", "-o", str(out))
    assert r.returncode == 0, r.stderr
    assert sorted(os.listdir(out)) == ["evaluation.json", "libpredict.so",
                                       "model.mlir", "report.json"]
    assert "accuracy" in r.stdout and "weight bytes" in r.stdout
    import json
    ev = json.load(open(out / "evaluation.json"))
    # Random weights: the classes are close, so the output cosine is the
    # meaningful check (the digits examples measure accuracy).
    assert ev["accuracy_original"] == 1.0
    assert ev["cosine"] > 0.95 and "accuracy_drop_points" in ev
