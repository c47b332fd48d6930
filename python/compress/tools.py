"""Where the project's build is: the runtime library and compress-opt."""

import os
import subprocess

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))


class ToolError(Exception):
    """A compiler tool failed; the message holds its diagnostics."""


def build_dir():
    """$COMPRESS_BUILD_DIR, else build/ at the repository's top."""
    return os.environ.get("COMPRESS_BUILD_DIR", os.path.join(ROOT, "build"))


def tool(name):
    path = os.path.join(build_dir(), "bin", name)
    if not os.path.exists(path):
        raise ToolError("%s does not exist: build the project first "
                        "(scripts/test.sh or cmake; or set "
                        "COMPRESS_BUILD_DIR)" % path)
    return path


def report(text):
    """compress-report's JSON of the MLIR `text`, as a dict."""
    import json
    _, err = compress_opt(text, ["--compress-report"], ["-o", os.devnull])
    try:
        return json.loads(err)
    except ValueError:
        raise ToolError("compress-report wrote no JSON: %s" % err[:500])


def compress_opt(text, passes, extra=()):
    """Runs compress-opt with `passes` (e.g. ["--compress-quantize=bits=8"])
    on the MLIR `text`; returns (output text, stderr)."""
    # Locations are printed so that they survive the round trip (the
    # importer's ops carry their ONNX node names).
    result = subprocess.run([tool("compress-opt"), "-",
                             "--mlir-print-debuginfo", *passes, *extra],
                            input=text.encode(), capture_output=True)
    if result.returncode != 0:
        raise ToolError("compress-opt %s failed:\n%s" % (
            " ".join(passes), result.stderr.decode(errors="replace")))
    return result.stdout.decode(), result.stderr.decode(errors="replace")
