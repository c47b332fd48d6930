#!/usr/bin/env bash
# Fails if any C++ source is not formatted with clang-format-22 (LLVM style).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
files=$(git ls-files '*.cpp' '*.h' '*.c')
if ! clang-format-22 --dry-run --Werror $files; then
  echo "run: clang-format-22 -i \$(git ls-files '*.cpp' '*.h' '*.c')" >&2
  exit 1
fi
echo "format: ok"
