"""JUnit XML of merged results, in the shape pytest's ``--junitxml`` writes, plus retries.

A flaky test is a passing ``testcase`` whose failed attempts are ``flakyFailure`` elements, a test
that failed every attempt carries its earlier ones as ``rerunFailure`` (Maven Surefire's rerun
format, which Jenkins and GitLab read). Every kept file is a ``property`` (as in one run).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

from flask_harness.run.results import RunResults, verdict


def split_nodeid(nodeid: str) -> tuple[str, str]:
    """(classname, name) as pytest's junitxml makes them: ``pkg/test_a.py::Class::test_x`` → ``pkg.test_a.Class``."""
    parts = nodeid.split("::")
    module = parts[0].removesuffix(".py").replace("/", ".")
    return ".".join([module, *parts[1:-1]]), parts[-1]


def _failure(tag: str, record: dict[str, Any]) -> ET.Element:
    element = ET.Element(tag, message=(record["message"].strip().splitlines() or [""])[-1][:500])
    element.text = record["message"]
    return element


def _testcase(nodeid: str, attempts: list[dict[str, Any]]) -> ET.Element:
    classname, name = split_nodeid(nodeid)
    outcome = verdict(attempts)
    case = ET.Element("testcase", classname=classname, name=name,
                      time=f"{sum(a['duration'] for a in attempts):.3f}")
    properties = ET.SubElement(case, "properties")
    if outcome == "flaky":
        ET.SubElement(properties, "property", name="flaky", value="true")
    for record in attempts:
        for artifact in record["artifacts"]:
            ET.SubElement(properties, "property", value=artifact["path"],
                          name=f"flask_harness_attempt{record['attempt']}_{artifact['kind'].replace(' ', '_')}")
    last = attempts[-1]
    earlier = [record for record in attempts[:-1] if record["outcome"] == "failed"]
    if outcome == "failed":
        tag = "error" if last["failed_phase"] in ("setup", "teardown") else "failure"
        case.append(_failure(tag, last))
        case.extend(_failure("rerunFailure", record) for record in earlier)
    elif outcome == "flaky":
        case.extend(_failure("flakyFailure", record) for record in earlier)
    elif outcome == "skipped":
        ET.SubElement(case, "skipped", message=last["message"][:500])
    if not len(properties):
        case.remove(properties)
    return case


def write(results: RunResults, path: Path, suite_name: str = "pytest") -> Path:
    """One ``testsuite`` with every test of the merged results."""
    cases = [_testcase(nodeid, attempts) for nodeid, attempts in results.tests.items()]
    counts = results.counts()
    errors = sum(1 for case in cases if case.find("error") is not None)
    suite = ET.Element("testsuite", name=suite_name, tests=str(len(cases)), errors=str(errors),
                       failures=str(counts["failed"] - errors), skipped=str(counts["skipped"]),
                       time=f"{sum(results.durations().values()):.3f}")
    suite.extend(cases)
    root = ET.Element("testsuites")
    root.append(suite)
    ET.indent(root)
    path.parent.mkdir(parents=True, exist_ok=True)
    ET.ElementTree(root).write(path, encoding="utf-8", xml_declaration=True)
    return path
