"""The per-layer sensitivity report: every compressible layer of a
torch-exported CNN under every candidate, named by its ONNX node and its
IR key; output errors measured against the original (zero for a lossless
candidate, growing from int8 to int4), accuracy changes with labels, the
layer's bytes, latencies; JSON, table and plot written; the CLI option."""

import json
import os

import numpy as np
import torch

import helpers  # noqa: F401
from compress import layers as S
from test_errors import cli
from test_torch_models import cnn, export

torch.manual_seed(0)
BATCH = 8


def make(tmp_path):
    model = cnn().eval()
    path = tmp_path / "cnn.onnx"
    path.write_bytes(export(model, torch.randn(BATCH, 3, 16, 16), 13, True))
    x = np.random.default_rng(5).standard_normal((32, 3, 16, 16)).astype(
        np.float32)
    with torch.no_grad():
        y = model(torch.from_numpy(x)).argmax(1).numpy()
    return str(path), x, y


def test_sensitivity_report(tmp_path):
    path, x, y = make(tmp_path)
    candidates = [("fp16", "quantize", {"float-type": "fp16"}),
                  ("int8", "quantize", {"bits": "8"}),
                  ("int4", "quantize", {"bits": "4"}),
                  ("2:4", "prune", {"structure": "n:m", "n": "2", "m": "4"})]
    result = S.sensitivity(path, x, y, candidates=candidates,
                           input_shapes={"x": [BATCH, 3, 16, 16]}, repeat=3)
    layers = result["layers"]
    # Conv, grouped conv, depthwise conv, Gemm.
    assert [l["key"] for l in layers] == ["predict/%d" % i for i in range(4)]
    assert all(l["name"].endswith(("Conv", "Gemm")) for l in layers)
    assert result["baseline"]["accuracy"] == 1.0
    for layer in layers:
        rows = {r["candidate"]: r for r in layer["candidates"]}
        assert all("ops=" + layer["key"] in r["options"]
                   for r in rows.values())
        if rows["int8"]["status"] == "ok" and rows["int4"]["status"] == "ok":
            assert rows["int8"]["output_error"] < rows["int4"]["output_error"]
            assert rows["int4"]["bytes"] < rows["int8"]["bytes"] < \
                layer["bytes"]
        assert rows["fp16"]["output_error"] < 1e-3
        for r in rows.values():
            if r["status"] == "ok":
                assert r["latency_ms"] > 0
                assert "accuracy_change_points" in r
            else:
                assert r["reason"]
    # The first convolution has 3 input channels: 2:4 does not fit it.
    first = {r["candidate"]: r for r in layers[0]["candidates"]}
    assert first["2:4"]["status"] == "failed"
    S.write_sensitivity(result, str(tmp_path / "out"))
    assert sorted(os.listdir(tmp_path / "out")) == [
        "sensitivity.json", "sensitivity.png", "sensitivity.txt"]
    text = open(tmp_path / "out" / "sensitivity.txt").read()
    assert "predict/3" in text and "int4" in text
    assert json.load(open(tmp_path / "out" / "sensitivity.json"))[
        "candidates"] == ["fp16", "int8", "int4", "2:4"]


def test_cli_sensitivity(tmp_path):
    path, x, y = make(tmp_path)
    np.savez(tmp_path / "d.npz", x=x[:16], y=y[:16])
    out = tmp_path / "out"
    r = cli(path, "--sensitivity", str(tmp_path / "d.npz"), "--batch",
            str(BATCH), "-o", str(out))
    assert r.returncode == 0, r.stderr
    assert {"sensitivity.json", "sensitivity.txt", "sensitivity.png",
            "model.mlir"} <= set(os.listdir(out))
    assert "predict/0" in r.stdout
