"""ONNX's backend test data through import -> compile -> run (see
conformance.py): every case passes at ONNX's tolerances, except the ones
conformance.UNSUPPORTED lists, which must be rejected at import with the
reason it gives (never a wrong result)."""

import pytest

import conformance

CASES = conformance.all_cases()


@pytest.mark.parametrize("name,group,path", CASES,
                         ids=[c[0] for c in CASES])
def test_case(name, group, path):
    status, detail, _ = conformance.run_case(name, group, path, threads=2)
    if name in conformance.UNSUPPORTED:
        assert status == "unsupported", detail
        assert conformance.UNSUPPORTED[name] in detail, detail
    else:
        assert status == "pass", detail


def test_every_unsupported_case_exists():
    names = {c[0] for c in CASES}
    assert set(conformance.UNSUPPORTED) <= names
