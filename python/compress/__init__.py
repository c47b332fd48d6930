"""compress: an MLIR compiler that makes models smaller and faster.

The Python package imports ONNX models (compress.importer), compresses them
with the compiler's passes, compiles them through the runtime library's C
API (compress.runtime) and runs them on numpy arrays."""

from .importer import ImportError_, import_onnx, supported_ops  # noqa: F401
from .api import (CompiledModel, CompressError, compile,  # noqa: F401
                  evaluate)
from .runtime import RuntimeError_  # noqa: F401
from .layers import sensitivity, sensitivity_table  # noqa: F401,E402
from .layers import write_sensitivity  # noqa: F401,E402
