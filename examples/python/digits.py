#!/usr/bin/python3
"""The Python tutorial's example (docs/python.md): train a small CNN on the
bundled digits data with torch (a few seconds), export it to ONNX, then
compress it several ways with compress.compile and print size, speed and
accuracy against the fp32 model.

    /usr/bin/python3 examples/python/digits.py [--out DIR]

Writes DIR/digits_cnn.onnx, DIR/calibration.npz and DIR/test.npz (for the
command-line tool) and, for the last configuration, DIR/compressed/
(CompiledModel.save). Needs a build of the project (scripts/test.sh).
"""

import argparse
import os
import sys

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "python"))

import compress  # noqa: E402

DIGITS = os.path.join(ROOT, "examples", "digits")
BATCH = 36


def train(x, y, seed=0):
    """A CNN for 8x8 digits: conv 16 + BN + ReLU, conv 32 + BN + ReLU,
    max pool, two linear layers; 60 epochs of Adam."""
    torch.manual_seed(seed)
    model = torch.nn.Sequential(
        torch.nn.Conv2d(1, 16, 3, padding=1), torch.nn.BatchNorm2d(16),
        torch.nn.ReLU(), torch.nn.Conv2d(16, 32, 3, padding=1),
        torch.nn.BatchNorm2d(32), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
        torch.nn.Flatten(), torch.nn.Linear(32 * 16, 64), torch.nn.ReLU(),
        torch.nn.Linear(64, 10))
    opt = torch.optim.Adam(model.parameters(), 3e-3)
    xt, yt = torch.from_numpy(x), torch.from_numpy(y)
    for _ in range(60):
        perm = torch.randperm(len(xt))
        for i in range(0, len(xt), 64):
            idx = perm[i:i + 64]
            opt.zero_grad()
            loss = torch.nn.functional.cross_entropy(model(xt[idx]), yt[idx])
            loss.backward()
            opt.step()
    return model.eval()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=os.path.join(HERE, "out"))
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    load = lambda n: np.load(os.path.join(DIGITS, n))  # noqa: E731
    train_x = load("train_x.npy").reshape(-1, 1, 8, 8).astype(np.float32)
    train_y = load("train_y.npy").astype(np.int64)
    test_x = load("test_x.npy").reshape(-1, 1, 8, 8).astype(np.float32)
    test_y = load("test_y.npy").astype(np.int64)

    # 1. A model in ONNX, as users bring it.
    model = train(train_x, train_y)
    path = os.path.join(args.out, "digits_cnn.onnx")
    torch.onnx.export(model, torch.from_numpy(test_x[:BATCH]), path,
                      input_names=["x"], output_names=["logits"],
                      dynamic_axes={"x": {0: "batch"},
                                    "logits": {0: "batch"}},
                      opset_version=13)
    np.savez(os.path.join(args.out, "calibration.npz"), x=train_x[:576])
    np.savez(os.path.join(args.out, "test.npz"), x=test_x, y=test_y)

    # 2. Compile it as it is, then compressed several ways.
    shapes = {"x": [BATCH, 1, 8, 8]}
    original = compress.compile(path, input_shapes=shapes)
    calibration = train_x[:576]  # 16 batches, streamed
    configs = [
        ("int8 (static, calibrated)", dict(quantize="int8",
                                          calibration_data=calibration)),
        ("int8 weights and activations, dynamic", dict(quantize="int8")),
        ("fp16 weights", dict(quantize="fp16")),
        ("2:4 pruning (reconstructed)", dict(prune="2:4",
                                             calibration_data=calibration)),
        ("50% pruning + int8", dict(prune=0.5, quantize="int8",
                                    calibration_data=calibration)),
        ("Tucker-2 rank 1/2 (calibrated)",
         dict(decompose="method=tucker2 rank-ratio=0.5",
              calibration_data=calibration)),
    ]
    # Latencies: medians of 200 calls on one batch of 36, each
    # configuration timed with the fp32 model in the same evaluate call.
    print("%-40s %9s %9s %9s %9s %9s" % ("configuration", "accuracy",
                                         "bytes", "fp32 ms", "ms",
                                         "speed-up"))
    base = original.report()["original"]["bytes"]
    result = compress.evaluate(original, original, test_x, test_y)
    print("%-40s %9.4f %9d %9s %9s %9s" % ("fp32", result["accuracy_original"],
                                           base, "", "", ""))
    compressed = None
    for name, kwargs in configs:
        compressed = compress.compile(path, input_shapes=shapes, **kwargs)
        r = compress.evaluate(original, compressed, test_x, test_y,
                              repeat=200)
        print("%-40s %9.4f %9d %9.3f %9.3f %8.2fx" % (
            name, r["accuracy_compressed"],
            compressed.report()["compressed"]["bytes"],
            r["latency_ms_original"], r["latency_ms_compressed"],
            r["speedup"]))
    out = compressed.save(os.path.join(args.out, "compressed"))
    print("saved the last one to %s" % out)


if __name__ == "__main__":
    main()
