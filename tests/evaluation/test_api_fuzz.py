"""Schemathesis over every operation of the API: no generated request, valid or not, gets a 5xx.

One derandomised run (25 valid and 25 invalid cases per operation, about 30 s) serves every test.
Response-schema mismatches are reported by ``python -m evaluation.api_fuzz``, not asserted here.
"""

from __future__ import annotations

import pytest

pytest.importorskip("schemathesis")

from evaluation.api_fuzz import fuzz_api  # noqa: E402
from service.config import Settings  # noqa: E402
from service.main import create_app  # noqa: E402

SERVER_FAILURES = {"exception", "Server error"}
#: operations with a reported 5xx; the mark goes once the service is fixed (strict: a pass fails)
KNOWN: dict[str, str] = {}


def _operations() -> list[str]:
    schema = create_app(Settings(home="/nonexistent", embedding_model="hashing:64")).openapi()
    return [f"{method.upper()} {path}" for path, methods in schema["paths"].items() for method in methods]


@pytest.fixture(scope="module")
def fuzzed() -> dict:
    return fuzz_api(max_examples=25)


@pytest.mark.parametrize(
    "operation",
    [
        pytest.param(label, marks=pytest.mark.xfail(strict=True, reason=KNOWN[label])) if label in KNOWN else label
        for label in _operations()
    ],
)
def test_no_server_error(fuzzed: dict, operation: str) -> None:
    assert fuzzed["cases_per_operation"].get(operation, 0) > 0, f"{operation} was not fuzzed"
    failures = [f for f in fuzzed["failures"] if f["operation"] == operation and f["kind"] in SERVER_FAILURES]
    assert not failures, "\n\n".join(f"{f['message']}\nreproduce: {f['reproduce']}" for f in failures)
