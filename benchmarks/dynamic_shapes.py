#!/usr/bin/python3
"""Benchmark: models with a dynamic batch dimension against the same models
compiled with the batch fixed.

For each model and batch size, side by side in one run (2 threads, medians
of 3 runs of the runtime's timing loop): compiled with input_shapes fixing
the batch ("static"); compiled with the batch left dynamic, whose first
call at a new size builds a static specialization ("specialized", the
default, with the time that first call took); and the generic dynamic code
(specialize=False). The models: a torch MLP (20-256-256-10), a small CNN
(two 3x3 convolutions with batch norms, 32x32 inputs) and ResNet-50 (real
sizes, random weights, from benchmarks/onnx_flow.py).

    /usr/bin/python3 benchmarks/dynamic_shapes.py [--dir DIR] [--skip-resnet]
"""

import argparse
import io
import os
import sys
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "python"))
sys.path.insert(0, HERE)


def small_models():
    import torch
    import torch.nn as nn
    torch.manual_seed(0)
    mlp = nn.Sequential(nn.Linear(20, 256), nn.ReLU(), nn.Linear(256, 256),
                        nn.ReLU(), nn.Linear(256, 10))
    cnn = nn.Sequential(nn.Conv2d(3, 32, 3, padding=1), nn.BatchNorm2d(32),
                        nn.ReLU(), nn.Conv2d(32, 64, 3, 2, 1),
                        nn.BatchNorm2d(64), nn.ReLU(),
                        nn.AdaptiveAvgPool2d(1), nn.Flatten(),
                        nn.Linear(64, 10))
    out = []
    for name, model, shape in (("MLP", mlp, (20,)),
                               ("CNN", cnn, (3, 32, 32))):
        f = io.BytesIO()
        torch.onnx.export(model.eval(), torch.randn(2, *shape), f,
                          input_names=["x"], output_names=["y"],
                          dynamic_axes={"x": {0: "N"}, "y": {0: "N"}},
                          opset_version=13)
        out.append((name, f.getvalue(), shape, (1, 64)))
    return out


def resnet(directory):
    import onnx
    import onnx_flow
    path = os.path.join(directory, "resnet50.onnx")
    if not os.path.exists(path):
        os.makedirs(directory, exist_ok=True)
        onnx_flow.export(directory)
    proto = onnx.load(path)
    proto.graph.input[0].type.tensor_type.shape.dim[0].dim_param = "N"
    return ("ResNet-50", proto.SerializeToString(), (3, 224, 224), (1, 8))


def median_time(model, x):
    return float(np.median([model.time(x, repeat=10)[0] for _ in range(3)]))


def main():
    import compress
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dir", default="/tmp/compress-onnx-flow")
    parser.add_argument("--skip-resnet", action="store_true")
    args = parser.parse_args()
    models = small_models()
    if not args.skip_resnet:
        models.append(resnet(args.dir))
    print("| model | batch | static ms | specialized ms (first call s) | "
          "generic ms | specialized / static | generic / static |")
    print("|---|---|---|---|---|---|---|")
    for name, onnx_bytes, shape, batches in models:
        specialized = compress.compile(onnx_bytes, threads=2)
        generic = compress.compile(onnx_bytes, threads=2, specialize=False)
        for n in batches:
            x = np.random.default_rng(0).standard_normal(
                (n,) + shape).astype(np.float32)
            static = compress.compile(onnx_bytes, threads=2,
                                      input_shapes={"x": [n, *shape]})
            start = time.perf_counter()
            y = specialized(x)
            first = time.perf_counter() - start
            assert np.allclose(y, static(x), rtol=1e-4, atol=1e-4)
            assert np.allclose(generic(x), y, rtol=1e-4, atol=1e-4)
            t_static = median_time(static, x)
            t_special = median_time(specialized, x)
            t_generic = median_time(generic, x)
            print("| %s | %d | %.4g | %.4g (%.1f) | %.4g | %.2f | %.2f |" % (
                name, n, t_static, t_special, first, t_generic,
                t_special / t_static, t_generic / t_static), flush=True)


if __name__ == "__main__":
    main()
