"""Property-based test of the HTTP API against its own OpenAPI schema (Schemathesis).

    python -m evaluation.api_fuzz [--max-examples 100] [--operations LABEL]

The app runs in-process (ASGI) over a temporary store with the hashing embedder and a few
multilingual recommendations, called with an admin key. Every operation of ``/openapi.json`` gets
``--max-examples`` valid cases and as many invalid ones (wrong types, missing fields); each answer
must not be a 5xx (``not_a_server_error``) and, for a documented status, must match the response
schema (``response_schema_conformance``). Failures are printed with a curl command to reproduce
them; statuses an operation answered without documenting them are listed apart.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import tempfile
import time
import traceback
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error, response_schema_conformance
from schemathesis.python import asgi

from evaluation.common import write_results
from nlp.store import Store
from service.auth import KEY_HEADER, ApiKeys
from service.config import Settings
from service.main import create_app

CHECKS = [not_a_server_error, response_schema_conformance]
MODES = (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
SAMPLES = [
    ("Ratify the Optional Protocol to the Convention against Torture", "Morocco", "France", "UPR", 2),
    ("Ratifier le Protocole facultatif se rapportant à la Convention contre la torture", "Morocco", "", "CAT", 3),
    ("التصديق على البروتوكول الاختياري لاتفاقية مناهضة التعذيب", "Tunisia", "Spain", "UPR", 3),
    ("Abolish the death penalty", "Morocco", "Italy", "UPR", 3),
    ("Abolish the death penalty in law", "Morocco", "Spain", "UPR", 3),
    ("Raise the minimum age of marriage to 18 for girls and boys", "Tunisia", "", "CRC", 2),
]


@dataclass
class Finding:
    """One distinct failure: the operation, what failed, and the first case that showed it."""

    operation: str
    kind: str
    message: str
    reproduce: str
    count: int = 1


@dataclass
class FuzzReport:
    cases: Counter = field(default_factory=Counter)
    statuses: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    #: the first answer of each (operation, status): its body and a curl command
    examples: dict[tuple[str, int], str] = field(default_factory=dict)
    findings: dict[tuple[str, str, str], Finding] = field(default_factory=dict)

    def add(self, operation: str, kind: str, variant: str, message: str, reproduce: str) -> None:
        """Count a failure; failures of one operation, kind and variant (status, error type) count as one."""
        key = (operation, kind, variant)
        if key in self.findings:
            self.findings[key].count += 1
        else:
            self.findings[key] = Finding(operation, kind, message, reproduce)

    def undocumented_statuses(self, documented: dict[str, set[str]]) -> dict[str, dict[int, dict]]:
        """Statuses answered but absent from an operation's responses, with their count and first example."""
        return {
            label: {
                code: {"cases": n, "example": self.examples[label, code]}
                for code, n in sorted(counts.items())
                if str(code) not in documented[label]
            }
            for label, counts in self.statuses.items()
            if any(str(code) not in documented[label] for code in counts)
        }


def create_admin_key(home: Path) -> str:
    """The admin key the fuzzer sends (the app cannot revoke a key with itself)."""
    store = Store.open(home)
    try:
        return ApiKeys(store).create("api fuzz", "admin")[1]
    finally:
        store.close()


def import_samples(app, headers: dict[str, str], folder: Path) -> None:
    """Import the sample recommendations through the API and wait for the job to end."""
    path = folder / "samples.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["text", "state_under_review", "recommending_state", "mechanism", "cycle"])
        writer.writerows(SAMPLES)
    with asgi.get_client(app) as client, path.open("rb") as handle:
        job = client.post("/imports", files={"file": ("samples.csv", handle, "text/csv")}, headers=headers).json()
        for _ in range(600):
            job = client.get(f"/imports/{job['id']}", headers=headers).json()
            if job["status"] not in ("queued", "running"):
                break
            time.sleep(0.1)
    if job["status"] != "done" or job["inserted"] != len(SAMPLES):
        raise RuntimeError(f"the sample import did not succeed: {job}")


def run_case(case, headers: dict[str, str], report: FuzzReport) -> None:
    label = case.operation.label
    report.cases[label] += 1
    try:
        response = case.call(headers=headers)
    except Exception as error:  # the app raised: a 500 with its traceback
        message = "".join(traceback.format_exception(error))
        report.add(label, "exception", type(error).__name__, message, case.as_curl_command(headers))
        return
    body = response.content[:500].decode("utf-8", errors="replace")
    report.statuses[label][response.status_code] += 1
    report.examples.setdefault((label, response.status_code), f"{body[:200]}  <- {case.as_curl_command(headers)}")
    try:
        case.validate_response(response, checks=CHECKS, headers=headers)
    except schemathesis.errors.FailureGroup as group:
        for failure in group.exceptions:
            message = f"{failure.title}: {failure.message}\nstatus {response.status_code}, body {body}"
            report.add(label, failure.title, str(response.status_code), message, case.as_curl_command(headers))


def fuzz_operation(operation, mode: GenerationMode, max_examples: int, run) -> None:
    @settings(
        max_examples=max_examples,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(operation.as_strategy(generation_mode=mode))
    def fuzz(case) -> None:
        run(case)

    with contextlib.suppress(Unsatisfiable):  # an operation without parameters has no invalid input
        fuzz()


def fuzz_api(max_examples: int = 100, operations: str | None = None) -> dict:
    """Fuzz every operation (or those whose label contains ``operations``); return the report as a dict."""
    with tempfile.TemporaryDirectory(prefix="tawsiya-fuzz-") as tmp:
        home = Path(tmp) / "store"
        key = create_admin_key(home)
        headers = {KEY_HEADER: key}
        app = create_app(Settings(home=home, embedding_model="hashing:64", tag_on_import=False))
        schema = schemathesis.openapi.from_asgi("/openapi.json", app)
        try:
            import_samples(app, headers, Path(tmp))
            report = FuzzReport()
            documented: dict[str, set[str]] = {}
            start = time.monotonic()
            for result in schema.get_all_operations():
                operation = result.ok()
                if operations and operations not in operation.label:
                    continue
                documented[operation.label] = set(operation.definition.raw.get("responses", {}))
                for mode in MODES:
                    fuzz_operation(operation, mode, max_examples, lambda case: run_case(case, headers, report))
            elapsed = time.monotonic() - start
        finally:
            asgi.shutdown_lifespans()
    return {
        "schemathesis": schemathesis.__version__,
        "max_examples": max_examples,
        "operations": len(report.cases),
        "cases": sum(report.cases.values()),
        "seconds": round(elapsed, 1),
        "cases_per_operation": dict(report.cases),
        "failures": [vars(finding) for finding in report.findings.values()],
        "undocumented_statuses": report.undocumented_statuses(documented),
    }


def print_report(results: dict) -> None:
    print(
        f"schemathesis {results['schemathesis']}: {results['operations']} operations, {results['cases']} cases "
        f"({results['max_examples']} valid + {results['max_examples']} invalid at most per operation) "
        f"in {results['seconds']} s"
    )
    print(f"{len(results['failures'])} distinct failures")
    for finding in results["failures"]:
        print(f"\n== {finding['operation']}: {finding['kind']} ({finding['count']} cases)")
        message = finding["message"].rstrip()
        print(message[-1500:] if finding["kind"] == "exception" else message[:1500])  # a traceback ends with its error
        print(f"reproduce: {finding['reproduce']}")
    if results["undocumented_statuses"]:
        print("\nstatuses answered but not in the schema (operation: status x cases; 401 = a case sent without key):")
        for label, counts in results["undocumented_statuses"].items():
            print(f"  {label}: " + ", ".join(f"{code} x{seen['cases']}" for code, seen in counts.items()))
            for code, seen in counts.items():
                if code != 401:
                    print(f"      {code}: {seen['example'][:400]}")


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--max-examples", type=int, default=100, help="valid and invalid cases per operation")
    parser.add_argument("--operations", default=None, help="only operations whose label contains this")
    args = parser.parse_args(argv)
    results = fuzz_api(args.max_examples, args.operations)
    print_report(results)
    print(f"written {write_results('api_fuzz', results)}")
    return results


if __name__ == "__main__":
    main()
