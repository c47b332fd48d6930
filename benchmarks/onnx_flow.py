#!/usr/bin/python3
"""Benchmark: the Python flow on ResNet-50 with real-sized weights.

Builds ResNet-50 in torch (random weights, seed 0; no torchvision needed),
exports it to ONNX (opset 13, 102 MB), then in a fresh process imports and
compiles it with compress.compile (batch norms folded, 2 threads) and
reports the time, the peak memory of the process and of compress-opt, the
outputs against torch, and the latency from Python against the runtime's
own timing of the same call.

    /usr/bin/python3 benchmarks/onnx_flow.py [--dir DIR]
"""

import argparse
import os
import resource
import subprocess
import sys
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "python"))


def resnet50():
    import torch.nn as nn
    import torch

    class Bottleneck(nn.Module):
        def __init__(self, cin, mid, stride):
            super().__init__()
            cout = mid * 4
            self.c1, self.b1 = nn.Conv2d(cin, mid, 1, bias=False), \
                nn.BatchNorm2d(mid)
            self.c2, self.b2 = nn.Conv2d(mid, mid, 3, stride, 1, bias=False), \
                nn.BatchNorm2d(mid)
            self.c3, self.b3 = nn.Conv2d(mid, cout, 1, bias=False), \
                nn.BatchNorm2d(cout)
            self.down = None
            if stride != 1 or cin != cout:
                self.down = nn.Sequential(
                    nn.Conv2d(cin, cout, 1, stride, bias=False),
                    nn.BatchNorm2d(cout))

        def forward(self, x):
            y = torch.relu(self.b1(self.c1(x)))
            y = torch.relu(self.b2(self.c2(y)))
            y = self.b3(self.c3(y))
            return torch.relu(y + (x if self.down is None else self.down(x)))
    layers = [nn.Conv2d(3, 64, 7, 2, 3, bias=False), nn.BatchNorm2d(64),
              nn.ReLU(), nn.MaxPool2d(3, 2, 1)]
    cin = 64
    for mid, n, stride in [(64, 3, 1), (128, 4, 2), (256, 6, 2),
                           (512, 3, 2)]:
        for i in range(n):
            layers.append(Bottleneck(cin, mid, stride if i == 0 else 1))
            cin = mid * 4
    layers += [nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(2048, 1000)]
    return nn.Sequential(*layers)


def export(d):
    import torch
    torch.manual_seed(0)
    model = resnet50().eval()
    for m in model.modules():
        if isinstance(m, torch.nn.BatchNorm2d):
            m.running_mean.uniform_(-0.1, 0.1)
            m.running_var.uniform_(0.5, 1.5)
    x = torch.randn(1, 3, 224, 224)
    torch.onnx.export(model, x, os.path.join(d, "resnet50.onnx"),
                      opset_version=13, input_names=["x"])
    with torch.no_grad():
        np.save(os.path.join(d, "y.npy"), model(x).numpy())
    np.save(os.path.join(d, "x.npy"), x.numpy())


def measure(d):
    import compress
    start = time.perf_counter()
    model = compress.compile(os.path.join(d, "resnet50.onnx"),
                             input_shapes={"x": [1, 3, 224, 224]}, threads=2)
    seconds = time.perf_counter() - start
    self_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    child_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    x, want = np.load(os.path.join(d, "x.npy")), np.load(os.path.join(
        d, "y.npy"))
    y = model(x)
    rel = np.linalg.norm(y - want) / np.linalg.norm(want)
    # Rounds alternate the runtime's timing loop and calls from Python, so
    # that drifts of the host's speed hit both alike; the spread of one
    # round (about 1 ms of 34) needs many rounds for a median to resolve
    # tens of microseconds.
    runtime_ms, python_ms = [], []
    for _ in range(31):
        runtime_ms.append(model.time(x, repeat=10)[0])
        times = []
        for _ in range(10):
            t = time.perf_counter()
            model(x)
            times.append(time.perf_counter() - t)
        python_ms.append(float(np.median(times)) * 1e3)
    differences = np.subtract(python_ms, runtime_ms)
    runtime_ms, python_ms = np.median(runtime_ms), np.median(python_ms)
    print("import + compile: %.1f s; peak memory: %.0f MB (Python "
          "process), %.0f MB (compress-opt)" % (seconds, self_mb, child_mb))
    print("outputs against torch: relative error %.2e" % rel)
    low, high = np.percentile(differences, [25, 75])
    print("latency: %.2f ms from Python, %.2f ms by the runtime's timing "
          "(difference per round: median %.3f ms, quartiles %.3f and %.3f)"
          % (python_ms, runtime_ms, np.median(differences), low, high))
    # The same, call by call: the time around each call from Python minus
    # the compiled function's own time in that call (what the runtime's
    # timing measures), which takes the model's noise out.
    overhead_us = []
    for _ in range(200):
        t = time.perf_counter()
        model(x)
        elapsed = time.perf_counter() - t
        overhead_us.append(elapsed * 1e6 - model._fast.last_run_ms * 1e3)
    low, high = np.percentile(overhead_us, [25, 75])
    print("per call, Python minus the compiled function: median %.1f us "
          "(quartiles %.1f and %.1f, 200 calls)"
          % (np.median(overhead_us), low, high))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dir", default="/tmp/compress-onnx-flow")
    parser.add_argument("--measure-only", action="store_true",
                        help=argparse.SUPPRESS)
    args = parser.parse_args()
    os.makedirs(args.dir, exist_ok=True)
    if args.measure_only:
        return measure(args.dir)
    export(args.dir)
    # A fresh process, so that the memory measured is the flow's alone.
    subprocess.run([sys.executable, __file__, "--dir", args.dir,
                    "--measure-only"], check=True)


if __name__ == "__main__":
    main()
