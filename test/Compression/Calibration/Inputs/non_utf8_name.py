"""Calibrates Inputs/model.mlir with its function renamed to b'f\\xff' (MLIR
symbol names may be any bytes; calibration keys are JSON strings).

Usage: non_utf8_name.py TOOLS_DIR MODEL OUT_DIR X_NPY; runs compress-opt and
compress-run from TOOLS_DIR, passes compress-run's stderr and exit code
through.
"""

import os
import subprocess
import sys

tools, model, out, x = sys.argv[1:5]
os.makedirs(out, exist_ok=True)
renamed = os.path.join(out, "renamed.mlir")
with open(model) as f:
    text = f.read()
with open(renamed, "w") as f:
    f.write(text.replace("@f(", '@"f\\FF"('))
instrumented = os.path.join(out, "instrumented.mlir")
subprocess.run(
    [os.path.join(tools, "compress-opt"), renamed, "--compress-instrument", "-o", instrumented],
    check=True,
)
run = subprocess.run(
    [os.path.join(tools, "compress-run").encode(), instrumented.encode(), b"-e", b"f\xff", b"--input",
     x.encode(), b"--calibration-out", os.path.join(out, "calib.json").encode(),
     b"--output", os.path.join(out, "y.npy").encode()],
    stderr=subprocess.PIPE,
)
sys.stderr.buffer.write(run.stderr)
sys.exit(run.returncode)
