#!/usr/bin/python3
"""Writes broken copies of a valid calibration store for the store tests.

Usage: break_store.py STORE_DIR OUT_DIR

STORE_DIR holds calib.json (tensors f/0 with a 2 x 2 and f/1 with a 3 x 3
Gram matrix) and calib.gram/. Each OUT_DIR/<case>/ receives a copy with the
single defect the case names.
"""

import json
import os
import shutil
import sys

import numpy as np


def main():
    src, out = sys.argv[1], sys.argv[2]
    with open(os.path.join(src, "calib.json")) as f:
        store = json.load(f)

    def case(name, edit_json=None, edit_gram=None, text=None):
        """Copies the store into OUT/name, then applies the edits."""
        dst = os.path.join(out, name)
        shutil.copytree(src, dst)
        data = json.loads(json.dumps(store))
        if edit_json:
            edit_json(data)
        with open(os.path.join(dst, "calib.json"), "w") as f:
            f.write(text if text is not None else json.dumps(data))
        if edit_gram:
            edit_gram(os.path.join(dst, store["tensors"]["f/0"]["gram"]["file"]))

    def set_path(path, value):
        def edit(data):
            node = data
            for key in path[:-1]:
                node = node[key]
            node[path[-1]] = value
        return edit

    # The JSON file.
    case("version1", set_path(["version"], 1))
    case("version-missing", lambda d: d.pop("version"))
    case("version-string", set_path(["version"], "2"))
    case("truncated-json", text=json.dumps(store)[:-10])
    case("no-tensors", lambda d: d.pop("tensors"))
    case("tensor-not-object", set_path(["tensors", "f/1"], [1, 2]))
    case("negative-count", set_path(["tensors", "f/0", "count"], -3))
    case("bad-range", set_path(["tensors", "f/0", "ranges", "minmax"], [2, 1]))
    case("bad-histogram", set_path(["tensors", "f/0", "histogram", "bins"], [1, -1]))
    case("bad-gram-size", set_path(["tensors", "f/0", "gram", "size"], 5000))
    case("gram-path-escape",
         set_path(["tensors", "f/0", "gram", "file"], "../calib.gram/x.npy"))

    # Key mismatches: an entry renamed, and two entries' files swapped.
    def rename(data):
        data["tensors"]["f/7"] = data["tensors"].pop("f/0")
    case("renamed-key", rename)

    def swap(data):
        t = data["tensors"]
        t["f/0"]["gram"]["file"], t["f/1"]["gram"]["file"] = (
            t["f/1"]["gram"]["file"], t["f/0"]["gram"]["file"])
    case("swapped-files", swap)

    # The Gram file of f/0 (2 x 2 float64).
    case("gram-missing", edit_gram=os.remove)
    case("gram-shape",
         edit_gram=lambda p: np.save(p, np.eye(3)))
    case("gram-dtype",
         edit_gram=lambda p: np.save(p, np.eye(2, dtype=np.float32)))

    def truncate(p):
        with open(p, "rb") as f:
            data = f.read()
        with open(p, "wb") as f:
            f.write(data[:-8])
    case("gram-truncated", edit_gram=truncate)

    def not_npy(p):
        with open(p, "wb") as f:
            f.write(b"not a numpy file")
    case("gram-not-npy", edit_gram=not_npy)
    case("gram-nan",
         edit_gram=lambda p: np.save(p, np.array([[1.0, np.nan], [np.nan, 1.0]])))
    case("gram-fortran",
         edit_gram=lambda p: np.save(p, np.asfortranarray(np.array([[1.0, 2.0], [2.0, 1.0]]))))


if __name__ == "__main__":
    main()
