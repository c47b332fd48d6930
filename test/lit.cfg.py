# -*- Python -*-
# lit configuration of the compress test suite.

import os

import lit.formats
from lit.llvm import llvm_config
from lit.llvm.subst import ToolSubst

config.name = "COMPRESS"
config.test_format = lit.formats.ShTest(not llvm_config.use_lit_shell)
config.suffixes = [".mlir"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.compress_obj_root, "test")
config.excludes = ["CMakeLists.txt", "README.md", "lit.cfg.py", "lit.site.cfg.py"]

# Upstream MLIR's FileCheck settings.
config.environment["FILECHECK_OPTS"] = "-enable-var-scope --allow-unused-prefixes=false"

llvm_config.use_default_substitutions()
llvm_config.with_environment("PATH", config.llvm_tools_dir, append_path=True)
llvm_config.with_environment(
    "PYTHONPATH", os.path.join(config.compress_src_root, "python"), append_path=True
)
# Sanitizer runs: keep reports fatal and leak checking on, and let tests know.
for var in ("ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS"):
    if var in os.environ:
        config.environment[var] = os.environ[var]


def add_runtime(name):
    return os.path.join(config.llvm_libs_dir, f"lib{name}{config.llvm_shlib_ext}")


config.substitutions.append(("%mlir_runner_utils", add_runtime("mlir_runner_utils")))
config.substitutions.append(("%mlir_c_runner_utils", add_runtime("mlir_c_runner_utils")))
config.substitutions.append(("%compress_src_root", config.compress_src_root))
config.substitutions.append(("%examples", os.path.join(config.compress_src_root, "examples")))
config.substitutions.append(("%compress_tools_dir", config.compress_tools_dir))
config.substitutions.append(("%compress_lib_dir", config.compress_lib_dir))
# LeakSanitizer cannot stop the OpenMP runtime's worker threads (it aborts
# with "LeakSanitizer has encountered a fatal error"): multi-threaded runs
# keep the address checks but skip the leak check.
_asan = os.environ.get("ASAN_OPTIONS", "")
config.substitutions.append(
    ("%no_leak_check",
     "env ASAN_OPTIONS=%s" % ((_asan + ":" if _asan else "") + "detect_leaks=0")))

tool_dirs = [config.compress_tools_dir, config.llvm_tools_dir]
tools = [
    "compress-calib",
    "compress-opt",
    "compress-run",
    "compress-fuzz-mlir",
    "compress-fuzz-npy",
    ToolSubst("compress-capi-test", unresolved="ignore"),
    ToolSubst("compress-runtime-capi-test", unresolved="ignore"),
    "mlir-runner",
    "mlir-translate",
    "llc",
]
llvm_config.add_tool_substitutions(tools, tool_dirs)

# Sanitizer builds: their shared libraries cannot be loaded into an
# uninstrumented Python.
if config.llvm_use_sanitizer:
    config.available_features.add("sanitizer")

if os.path.exists(os.path.join(config.llvm_tools_dir, "mlir-runner")):
    config.available_features.add("mlir-runner")
if config.mlir_enable_execution_engine:
    config.available_features.add("host-supports-jit")

# The host CPU's vector extensions, as lit features (`REQUIRES: cpu-avx512bf16`
# or `%if cpu-avx512bf16 %{ ... %}`): a test whose result depends on what the
# host offers says so; everything else pins `cpu=` or passes on any x86-64.
_host_flags = set()
try:
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("flags"):
                _host_flags = set(line.split(":", 1)[1].split())
                break
except OSError:
    pass
for _flag, _feature in [
    ("avx2", "cpu-avx2"),
    ("avx512f", "cpu-avx512"),
    ("avx512_vnni", "cpu-avx512vnni"),
    ("avx512_bf16", "cpu-avx512bf16"),
]:
    if _flag in _host_flags:
        config.available_features.add(_feature)
# What the host's native code computes that a numpy reference must know:
# float-type=bf16 matmuls and convolutions round activations to bf16 on
# CPUs with AVX512_BF16 (reference.py --bf16-dot).
config.substitutions.append(
    ("%bf16dot", "--bf16-dot" if "avx512_bf16" in _host_flags else ""))
