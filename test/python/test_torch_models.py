"""Models exported by torch.onnx.export (Debian's torch) import, compile
and compute what torch computes: an MLP, a CNN with batch norms (one after
a ReLU, which stays a BatchNormalization node, and one after a grouped
convolution, which the exporter folds into it), and a transformer
encoder block (attention with Shape/Gather/Reshape subgraphs, GELU in its
Erf form, LayerNormalization native at opset 17 and spelled out before)."""

import io

import pytest
import torch

from helpers import assert_close, run

torch.manual_seed(0)


def mlp():
    return torch.nn.Sequential(
        torch.nn.Linear(20, 32), torch.nn.ReLU(), torch.nn.Linear(32, 16),
        torch.nn.Tanh(), torch.nn.Linear(16, 5), torch.nn.LogSoftmax(-1))


def cnn():
    m = torch.nn.Sequential(
        torch.nn.Conv2d(3, 8, 3, padding=1), torch.nn.ReLU(),
        torch.nn.BatchNorm2d(8), torch.nn.MaxPool2d(2),
        torch.nn.Conv2d(8, 16, 3, stride=2, padding=1, groups=2),
        torch.nn.BatchNorm2d(16), torch.nn.ReLU6(),
        torch.nn.Conv2d(16, 16, 3, padding=1, groups=16),
        torch.nn.Hardswish(), torch.nn.AdaptiveAvgPool2d(1),
        torch.nn.Flatten(), torch.nn.Linear(16, 10))
    for mod in m:
        if isinstance(mod, torch.nn.BatchNorm2d):
            mod.running_mean.uniform_(-0.5, 0.5)
            mod.running_var.uniform_(0.5, 2)
            mod.weight.data.uniform_(0.5, 1.5)
            mod.bias.data.uniform_(-0.2, 0.2)
    return m


class Block(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.layer = torch.nn.TransformerEncoderLayer(
            d_model=32, nhead=4, dim_feedforward=64, batch_first=True,
            dropout=0.0, activation="gelu")

    def forward(self, x):
        return self.layer(x)


MODELS = {"mlp": (mlp, (4, 20)), "cnn": (cnn, (2, 3, 16, 16)),
          "block": (Block, (2, 7, 32))}


def export(model, x, opset, fold):
    f = io.BytesIO()
    torch.onnx.export(model, x, f, opset_version=opset, input_names=["x"],
                      output_names=["y"], do_constant_folding=fold)
    return f.getvalue()


@pytest.mark.parametrize("opset", [11, 13, 17])
@pytest.mark.parametrize("fold", [True, False])
@pytest.mark.parametrize("name", list(MODELS))
def test_torch_export(name, opset, fold):
    make, shape = MODELS[name]
    model = make().eval()
    x = torch.randn(*shape)
    with torch.no_grad():
        want = model(x).numpy()
    data = export(model, x, opset, fold)
    (got,) = run(data, [x.numpy()], threads=2,
                 input_shapes={"x": list(shape)})
    assert_close(got, want, rtol=1e-4, atol=1e-5)


def test_the_cnn_has_a_batch_norm_node():
    import onnx
    model = cnn().eval()
    data = export(model, torch.randn(2, 3, 16, 16), 13, True)
    ops = {n.op_type for n in onnx.load_model_from_string(data).graph.node}
    assert {"BatchNormalization", "Conv", "MaxPool", "HardSigmoid",
            "GlobalAveragePool", "Gemm"} <= ops
