"""Metrics, dashboard and alerts (terraform/observability.tf, dashboard.json) read only log
fields the code writes: one chain from the deployment to ``common/log_fields.py`` to the
``emit`` calls in the code, each link checked, so renaming a field anywhere fails here.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from typing import Any

import pytest

from common.log_fields import BASE, CONTEXT, EVENT, EVENTS, Event
from tests.helpers import code_facts
from tests.helpers.terraform import ROOT, TERRAFORM, block, load

DASHBOARD = TERRAFORM / "dashboard.json"
#: the template variables terraform/observability.tf passes to dashboard.json
PREFIX = "aa"
TEMPLATE = {
    "name_prefix": PREFIX,
    "metric_prefix": f"logging.googleapis.com/user/{PREFIX}_",
    "promql_prefix": f"logging_googleapis_com:user_{PREFIX}_",
}
#: Cloud Monitoring's own metrics the dashboard and alerts may use besides ours
BUILT_IN = {"run.googleapis.com/container/instance_count"}
_EVENT_FILTER = re.compile(r'jsonPayload\.event\s*=\s*(\((?:[^()]*)\)|"[^"]*")')
_FIELD = re.compile(r"jsonPayload\.([A-Za-z_][\w]*)")


@pytest.fixture(scope="module")
def root():  # type: ignore[no-untyped-def]
    return load()


@pytest.fixture(scope="module")
def metrics(root) -> dict[str, dict[str, Any]]:  # type: ignore[no-untyped-def]
    return root.locals["log_metrics"]


def render(template: str, values: Mapping[str, str] = TEMPLATE) -> str:
    """What Terraform's templatefile makes of ``template`` (``${var}``, and ``$${`` -> ``${``)."""
    out = re.sub(r"(?<!\$)\$\{(\w+)\}", lambda m: values[m.group(1)], template)
    return out.replace("$${", "${")


@pytest.fixture(scope="module")
def dashboard() -> dict[str, Any]:
    return json.loads(render(DASHBOARD.read_text(encoding="utf-8")))


# --- the checker (kept apart from the data it checks, so the control test can feed it) ------


def events_named(log_filter: str) -> set[str]:
    """Event names a log filter selects (``jsonPayload.event="x"`` or ``=("a" OR "b")``)."""
    names: set[str] = set()
    for match in _EVENT_FILTER.finditer(log_filter):
        names |= set(re.findall(r'"([^"]+)"', match.group(1)))
    return names


def metric_problems(
    metrics: Mapping[str, Mapping[str, Any]], events: Mapping[str, Event] = EVENTS
) -> list[str]:
    """Every field a metric reads that the events its filter selects do not hold."""
    problems = []
    shared = {EVENT, *BASE, *CONTEXT}
    for name, spec in metrics.items():
        named = events_named(spec["filter"])
        unknown = named - set(events)
        if unknown:
            problems.append(f"{name}: unknown event {sorted(unknown)}")
            continue
        allowed = shared.union(*(events[e].fields for e in named))
        read = set(_FIELD.findall(spec["filter"])) | set(spec["labels"].values())
        if spec["value"]:
            read.add(spec["value"])
        for field in sorted(read - allowed):
            problems.append(f"{name}: reads jsonPayload.{field}, which {sorted(named)} lack")
    return problems


def metric_refs(text: str) -> Iterable[tuple[str, set[str]]]:
    """``(metric, labels used)`` for each time-series filter or PromQL query in ``text``."""
    ours = re.escape(TEMPLATE["metric_prefix"])
    for metric in re.findall(rf'metric\.type="({ours}\w+|[\w.]+/[\w/]+)"', text):
        yield metric.removeprefix(TEMPLATE["metric_prefix"]), set()
    promql = re.escape(TEMPLATE["promql_prefix"])
    for metric, _ in re.findall(rf"{promql}(\w+?)(_sum|_count|_bucket)\b", text):
        yield metric, set()


def series_specs(node: Any) -> Iterable[tuple[str, set[str]]]:
    """``(query text, metric labels it uses)`` for every query in a dashboard JSON."""
    if isinstance(node, dict):
        query = node.get("timeSeriesFilter")
        if isinstance(query, dict):
            groups = query.get("aggregation", {}).get("groupByFields", [])
            labels = set(re.findall(r"metric\.label\.(\w+)", query["filter"]))
            labels |= {g.removeprefix("metric.label.") for g in groups if g.startswith("metric.")}
            yield query["filter"], labels
        if isinstance(node.get("prometheusQuery"), str):
            text = node["prometheusQuery"]
            labels = set()
            for group in re.findall(r"\bby\s*\(([^)]*)\)", text):
                labels |= {x.strip() for x in group.split(",") if x.strip()}
            yield text, labels
        for value in node.values():
            yield from series_specs(value)
    elif isinstance(node, list):
        for value in node:
            yield from series_specs(value)


def _alert_queries(root) -> Iterable[tuple[str, str, set[str]]]:  # type: ignore[no-untyped-def]
    """``(policy, filter, metric labels used)`` of every alert condition; a policy made for
    each entry of ``local.occurrence_alerts`` is expanded, one per entry."""
    for name, policy in root.resources["google_monitoring_alert_policy"].items():
        condition = block(policy, "conditions", "condition_threshold")
        instances = {name: {}}
        if policy.get("for_each") == "${local.occurrence_alerts}":
            instances = root.locals["occurrence_alerts"]
        for instance, values in instances.items():
            for key, aggregation in (
                ("filter", "aggregations"),
                ("denominator_filter", "denominator_aggregations"),
            ):
                if key not in condition:
                    continue
                text = condition[key].replace("each.value.metric", f'"{values.get("metric")}"')
                labels = set(re.findall(r"metric\.label\.(\w+)", text))
                groups = block(condition, aggregation).get("group_by_fields", [])
                if groups == "${each.value.group_by}":
                    groups = values["group_by"]
                labels |= {
                    g.removeprefix("metric.label.") for g in groups if g.startswith("metric.")
                }
                yield instance, text, labels


def _alert_metric(text: str) -> str | None:
    match = re.search(r'local\.log_metric_type\["(\w+)"\]', text)
    if match:
        return match.group(1)
    match = re.search(r'metric\.type=\\?"([^"\\]+)', text)
    return match.group(1) if match else None


# --- the chain: Terraform -> registry -> code ------------------------------------------------


def test_every_metric_reads_only_fields_its_events_hold(metrics) -> None:  # type: ignore[no-untyped-def]
    assert len(metrics) >= 15
    assert metric_problems(metrics) == []


def test_every_event_a_metric_counts_is_written_by_the_code(metrics) -> None:  # type: ignore[no-untyped-def]
    written = code_facts.emitted_events()
    for name, spec in metrics.items():
        for event in events_named(spec["filter"]):
            assert event in written, f"metric {name} counts {event!r}, which no emit() writes"


def test_emit_calls_write_exactly_the_declared_fields() -> None:
    written = code_facts.emitted_events()
    assert "?" not in written, f"emit() with a computed event name: {written.get('?')}"
    for event, fields in written.items():
        assert event in EVENTS, f"undeclared event {event!r} written at {fields}"
        assert "**" not in fields, f"{event}: fields passed as **mapping at {fields['**']}"
        undeclared = set(fields) - set(EVENTS[event].fields)
        assert not undeclared, f"{event}: writes undeclared {undeclared} at {fields}"
    for event, spec in EVENTS.items():
        assert event in written, f"declared event {event!r} is written nowhere"
        seen = set(written[event])
        never = set(spec.fields) - seen
        assert not never, f"{event}: declared but never written: {never}"


def test_every_required_field_is_in_every_call() -> None:
    """A call site that leaves out a required field is caught per call, not per event."""
    import ast

    for path in sorted((ROOT / "common").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and getattr(node.func, "id", None) == "emit"
                and len(node.args) >= 2
                and isinstance(node.args[1], ast.Constant)
            ):
                given = {k.arg for k in node.keywords}
                missing = EVENTS[node.args[1].value].required - given
                assert not missing, f"{path.name}:{node.lineno}: {missing} missing"


def test_a_renamed_field_fails_the_cross_check(metrics) -> None:  # type: ignore[no-untyped-def]
    """The control: the same checker, fed a registry where one field was renamed."""
    call = EVENTS["external_call"]
    renamed = dict(call.fields)
    renamed["svc"] = renamed.pop("service")
    events = {**EVENTS, "external_call": Event(call.doc, renamed, call.optional)}
    problems = metric_problems(metrics, events)
    assert any("external_calls: reads jsonPayload.service" in p for p in problems), problems
    assert metric_problems({"x": {**metrics["dead_letters"], "labels": {"t": "topicc"}}})


# --- dashboard and alerts ----------------------------------------------------------------------


def test_dashboard_template_renders_to_json_with_our_placeholders_only() -> None:
    text = DASHBOARD.read_text(encoding="utf-8")
    placeholders = set(re.findall(r"(?<!\$)\$\{(\w+)\}", text))
    assert placeholders == set(TEMPLATE), placeholders
    root = load()
    passed = root.resource("google_monitoring_dashboard", "this")["dashboard_json"]
    for name in TEMPLATE:
        assert f"{name} " in passed or f"{name}=" in passed, f"templatefile does not pass {name}"
    assert "%{" not in text  # no template directives


def test_dashboard_queries_use_existing_metrics_and_their_labels(metrics, dashboard) -> None:  # type: ignore[no-untyped-def]
    specs = list(series_specs(dashboard))
    assert len(specs) >= 15
    for text, labels in specs:
        refs = list(metric_refs(text))
        assert len(refs) == 1, f"expected one metric in {text!r}"
        metric = refs[0][0]
        if metric in BUILT_IN:
            continue
        assert metric in metrics, f"dashboard uses unknown metric {metric!r}"
        unknown = labels - set(metrics[metric]["labels"])
        assert not unknown, f"dashboard: {metric} has no label {unknown} ({text})"
        if "_sum[" in text:
            assert metrics[metric]["value"], f"{metric}: _sum of a counter (not a distribution)"


def test_alerts_use_existing_metrics_and_their_labels(root, metrics) -> None:  # type: ignore[no-untyped-def]
    seen = set()
    for name, text, labels in _alert_queries(root):
        metric = _alert_metric(text)
        if metric is None or metric.startswith(("monitoring.googleapis.com/", "run.")):
            continue
        assert metric in metrics, f"alert {name}: unknown metric {metric!r}"
        unknown = labels - set(metrics[metric]["labels"])
        assert not unknown, f"alert {name}: {metric} has no label {unknown}"
        seen.add(metric)
    assert {"breaker_not_closed", "invocations", "dead_letters", "gmail_auth_failures"} <= seen
    assert "gemini_budget_gone_before_noon" in seen


def test_every_metric_is_charted_or_alerted(root, metrics, dashboard) -> None:  # type: ignore[no-untyped-def]
    used = {m for text, _ in series_specs(dashboard) for m, _ in metric_refs(text)}
    used |= {_alert_metric(text) for _, text, _ in _alert_queries(root)}
    assert set(metrics) - used == set(), "metrics nobody looks at"


def test_the_alerts_the_seed_asks_for_exist(root) -> None:  # type: ignore[no-untyped-def]
    policies = root.resources["google_monitoring_alert_policy"]
    assert {"breaker_open", "error_rate", "occurrence"} <= set(policies)
    occurrence = root.locals["occurrence_alerts"]
    assert {"dead_letters", "gmail_auth", "gemini_budget"} <= set(occurrence)
    assert {n for n, _, _ in _alert_queries(root)} >= {
        "dead_letters",
        "gmail_auth",
        "gemini_budget",
    }
    breaker = block(policies["breaker_open"], "conditions", "condition_threshold")
    assert breaker["duration"] == "${var.breaker_alert_minutes * 60}s"
    rate = block(policies["error_rate"], "conditions", "condition_threshold")
    assert rate["threshold_value"] == "${var.error_rate_alert}"
    assert 'metric.label.outcome="failed"' in rate["filter"].replace('\\"', '"')
    for name in ("breaker_alert_minutes", "error_rate_alert"):
        assert "validation" in root.variables[name]


def test_metrics_are_built_from_the_local_map(root) -> None:  # type: ignore[no-untyped-def]
    metric = root.resource("google_logging_metric", "this")
    assert metric["for_each"] == "${local.log_metrics}"
    assert metric["filter"] == "${local.log_filter} AND ${each.value.filter}"
    extractors = metric["label_extractors"]
    assert "EXTRACT(jsonPayload.${field})" in extractors
    assert metric["value_extractor"].endswith('"EXTRACT(jsonPayload.${each.value.value})"}')
    assert root.locals["log_metric_type"].startswith("${{for k, _ in local.log_metrics")
    assert "logging.googleapis.com/user/${var.name_prefix}_${k}" in root.locals["log_metric_type"]


def test_the_operations_guide_lists_every_event_and_field() -> None:
    guide = (ROOT / "docs" / "operations.md").read_text(encoding="utf-8")
    for event, spec in EVENTS.items():
        assert f"`{event}`" in guide, f"docs/operations.md does not describe event {event}"
        for field in spec.fields:
            assert f"`{field}`" in guide, f"docs/operations.md: field {field} of {event}"
