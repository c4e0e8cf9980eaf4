"""The Terraform deployment, checked offline: format, checkov, and cross-checks with the code.

What the code needs is read from the code (tests/helpers/code_facts.py), never copied here, so a
change elsewhere that adds a secret, topic, route or setting fails these tests until the
deployment provides it. The few exceptions are listed below, each with its reason.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess

import pytest

from common.errors import ConfigError
from common.events import TOPICS
from common.settings import ENV_FIELDS, load_settings
from tests.helpers import code_facts
from tests.helpers.emulators import skip_or_fail
from tests.helpers.terraform import FUNCTION_MODULE, ROOT, TERRAFORM, block, load, tf_files

CHECKOV = ROOT / ".venv-checkov" / "bin" / "checkov"

# Secrets the code reads that need no secret container: none today.
NOT_SECRETS: dict[str, str] = {}

# Environment variables the code reads that the deployment deliberately does not set.
NOT_DEPLOYED = {
    "AUTOAPPLY_CONFIG": "the settings file ships in each zip as ./autoapply.yaml (found there)",
    "AUTOAPPLY_PROFILE": "in the cloud the profile comes from the bucket (candidate/profile.json)",
    "AUTOAPPLY_GEMINI_MODEL": "set in autoapply.yaml (gemini.model), deployed with the code",
    "AUTOAPPLY_LOG_FORMAT": "logging picks JSON by itself on Cloud Run (K_SERVICE)",
    "AUTOAPPLY_LOG_LEVEL": "INFO by default; set it by hand to debug",
    "AUTOAPPLY_SECRETMANAGER_ENDPOINT": "tests only: points Secret Manager at a local fake",
    "AUTOAPPLY_DEBUG": "the CLI only: show the traceback of an unexpected error",
    "K_SERVICE": "set by Cloud Run itself",
    "FUNCTION_TARGET": "set by Cloud Functions itself",
    # issue 7 (operations): tunables with defaults in autoapply.yaml, and test-only overrides
    "AUTOAPPLY_MAX_EVENT_AGE_SECONDS": "set in autoapply.yaml (resilience.max_event_age_seconds)",
    "AUTOAPPLY_HEALTH_CACHE_SECONDS": "set in autoapply.yaml (health.cache_seconds)",
    "AUTOAPPLY_GMAIL_API_URL": "tests only: points the Gmail health probe at a local fake",
    "AUTOAPPLY_OAUTH_TOKEN_URL": "tests only: points the OAuth refresh at a local fake",
    "GOOGLE_GEMINI_BASE_URL": "tests only: google-genai's own override, for a local fake Gemini",
    # issue 4 (analysis) and issue 6 (outreach)
    "AUTOAPPLY_GEMINI_API_VERSION": "set in autoapply.yaml (gemini.api_version), pinned there",
    "AUTOAPPLY_GMAIL_ENDPOINT": "tests only: points the Gmail client at a local fake",
    "AUTOAPPLY_APIFY_API_URL": "tests only: points the Apify client and check at a local fake",
    "AUTOAPPLY_GMAIL_TOKEN_URI": "tests only: points the OAuth token refresh at a local fake",
}

# Project-level roles a service account may hold, each for a reason.
PROJECT_ROLES = {
    "roles/datastore.user": "Firestore has no finer IAM; a condition limits it to our database",
    "roles/logging.logWriter": "Cloud Build writes the build logs",
}


@pytest.fixture(scope="module")
def root():  # type: ignore[no-untyped-def]
    return load()


@pytest.fixture(scope="module")
def module():  # type: ignore[no-untyped-def]
    return load(FUNCTION_MODULE)


@pytest.fixture(scope="module")
def functions(root) -> dict:  # type: ignore[no-untyped-def]
    return root.locals["functions"]


def _routed(function: str, method: str, path: str) -> bool:
    return code_facts.serves(function, method, path)


# --- tools -----------------------------------------------------------------------------------


def test_terraform_fmt() -> None:
    terraform = shutil.which("terraform")
    if terraform is None:
        pytest.skip("terraform is not on PATH here (no provider is needed: only `fmt` runs)")
    done = subprocess.run(
        [terraform, "fmt", "-check", "-recursive", "-diff", str(TERRAFORM)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, f"terraform fmt would change:\n{done.stdout}"


def test_checkov_has_no_failed_check() -> None:
    if not CHECKOV.exists():
        skip_or_fail(f"{CHECKOV} is missing: `make checkov` (or `make test`) installs it")
    command = [str(CHECKOV), "-d", str(TERRAFORM), "--framework", "terraform"]
    done = subprocess.run(
        [*command, "--skip-download", "--output", "json"],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "BC_SKIP_MAPPING": "TRUE", "CHECKOV_RUN_SCA_PACKAGE_SCAN_V2": "false"},
    )
    report = json.loads(done.stdout)
    report = report[0] if isinstance(report, list) else report
    summary = report["summary"]
    failed = [
        f"{r['check_id']} {r['resource']} ({r['file_path']})"
        for r in report["results"]["failed_checks"]
    ]
    assert summary["failed"] == 0, "checkov failed:\n" + "\n".join(failed)
    assert summary["parsing_errors"] == 0
    assert summary["passed"] >= 40, summary
    skips = report["results"]["skipped_checks"]
    assert skips, "expected the inline skips to be reported"
    for skipped in skips:
        reason = skipped["check_result"].get("suppress_comment") or ""
        assert len(reason) >= 30, f"{skipped['check_id']} on {skipped['resource']}: no real reason"


def test_every_checkov_skip_is_justified_inline() -> None:
    skips = []
    for path in tf_files():
        for line in path.read_text(encoding="utf-8").splitlines():
            if "checkov:skip" in line:
                match = re.search(r"#checkov:skip=(CKV2?_[A-Z]+_\d+):(.{30,})$", line.strip())
                assert match, f"{path.name}: a skip needs its check id and a reason: {line!r}"
                skips.append(match.group(1))
    assert skips, "expected the justified skips to be found"


# --- functions -------------------------------------------------------------------------------


def test_every_function_folder_is_deployed_with_its_entry_point(functions) -> None:  # type: ignore[no-untyped-def]
    from scripts.build_bundles import FUNCTIONS

    folders = code_facts.function_folders()
    assert sorted(functions) == folders == sorted(FUNCTIONS)
    for fn in folders:
        name, _ = code_facts.entry_point(fn)
        assert functions[fn]["entry_point"] == name, fn


def test_event_functions_are_pushed_the_topic_their_handler_serves(functions) -> None:  # type: ignore[no-untyped-def]
    from common.handlers import HANDLERS

    for fn in code_facts.function_folders():
        _, signature = code_facts.entry_point(fn)
        pushed_to_root = {t for t, path in functions[fn]["subscriptions"].items() if path == "/"}
        if signature == "cloud_event":
            handlers = code_facts.imported_names(fn, "common.handlers")
            topics = {t for t, h in HANDLERS.items() if h.__name__ in handlers}
            assert len(topics) == 1, f"{fn}: expected one handler topic, got {topics}"
            assert pushed_to_root == topics, f"{fn}: pushed {pushed_to_root}, handles {topics}"
        else:
            assert not pushed_to_root, f"{fn}: an HTTP function gets pushes on a route only"


def test_push_paths_and_public_routes_are_served(root, functions) -> None:  # type: ignore[no-untyped-def]
    for fn, spec in functions.items():
        for topic, path in spec["subscriptions"].items():
            if path != "/":
                assert _routed(fn, "POST", path), f"{fn}: push of {topic} to {path}: no route"
    webhook = root.outputs["webhook_url"]["value"]
    match = re.fullmatch(r'\$\{module\.function\["(\w+)"\]\.uri\}(/\S+)', webhook)
    assert match and match.group(1) == "scrape", webhook
    assert _routed("scrape", "POST", match.group(2))
    assert not code_facts.serves("scrape", "GET", match.group(2)), "the control: GET is no route"


def test_source_zips_are_content_addressed(root, module) -> None:  # type: ignore[no-untyped-def]
    source = root.resource("google_storage_bucket_object", "source")
    assert source["for_each"] == "${local.functions}"
    assert "filesha256(" in source["name"] and "${each.key}" in source["name"]
    assert root.modules["function"]["source_object"].endswith(
        "google_storage_bucket_object.source[each.key].name}"
    )
    storage = block(
        module.resource("google_cloudfunctions2_function", "this"),
        "build_config",
        "source",
        "storage_source",
    )
    assert storage["object"] == "${var.source_object}"


def test_profile_upload_goes_where_the_runtime_reads_it(root) -> None:  # type: ignore[no-untyped-def]
    from common.runtime import PROFILE_KEY

    profile = root.resource("google_storage_bucket_object", "profile")
    assert profile["name"] == PROFILE_KEY
    assert profile["bucket"] == '${google_storage_bucket.this["documents"].name}'


# --- topics and subscriptions ----------------------------------------------------------------


def test_every_topic_the_code_uses_exists(root, functions) -> None:  # type: ignore[no-untyped-def]
    deployed = set(root.locals["topics"])
    assert set(TOPICS) <= deployed
    published = code_facts.published_topics()
    assert published, "expected to find publish calls"
    assert set(published) <= deployed, {t: published[t] for t in set(published) - deployed}
    assert deployed <= set(TOPICS), (
        f"deployed but not in common/events.py: {deployed - set(TOPICS)}"
    )
    for fn, spec in functions.items():
        assert set(spec["subscriptions"]) | set(spec["publishes"]) <= deployed, fn
    assert root.locals["dead_letter_topic"] in TOPICS


def test_publishers_can_publish_what_their_service_publishes(functions) -> None:  # type: ignore[no-untyped-def]
    from common.handlers import HANDLERS

    stages = {"analyze": "analyze.py", "generate_docs": "documents.py", "scrape": "ingest.py"}
    published = code_facts.published_topics()
    for fn, service in stages.items():
        topics = {t for t, where in published.items() if any(service in w for w in where)}
        assert topics and topics <= set(functions[fn]["publishes"]), (fn, topics)
    assert set(HANDLERS) <= {t for s in functions.values() for t in s["subscriptions"]}


def test_subscriptions_retry_and_dead_letter(root, module) -> None:  # type: ignore[no-untyped-def]
    sub = module.resource("google_pubsub_subscription", "push")
    retry = block(sub, "retry_policy")
    assert (retry["minimum_backoff"], retry["maximum_backoff"]) == ("10s", "600s")
    assert block(sub, "expiration_policy")["ttl"] == ""
    dead = block(sub, "dynamic", "dead_letter_policy", "content")
    assert dead["max_delivery_attempts"] == "${var.max_delivery_attempts}"
    oidc = block(sub, "push_config", "oidc_token")
    assert oidc["service_account_email"] == "${google_service_account.push[0].email}"
    assert sub["ack_deadline_seconds"] == "${var.timeout_seconds}"
    # the dead-letter topic's own subscription has no dead-letter policy (no loop)
    subs = root.modules["function"]["subscriptions"]
    assert "topic == local.dead_letter_topic ? null" in subs
    # Pub/Sub's agent may publish to the dead-letter topic and acknowledge the source messages
    publisher = root.resource("google_pubsub_topic_iam_member", "dead_letter_publisher")
    assert publisher["role"] == "roles/pubsub.publisher"
    assert publisher["member"] == "${local.pubsub_agent}"
    assert publisher["topic"] == "${google_pubsub_topic.this[local.dead_letter_topic].name}"
    ack = module.resource("google_pubsub_subscription_iam_member", "dead_letter_ack")
    assert (ack["role"], ack["member"]) == ("roles/pubsub.subscriber", "${var.pubsub_agent}")
    attempts = root.variables["max_delivery_attempts"]
    assert attempts["type"] in ("number", "${number}") and "validation" in attempts


# --- secrets ---------------------------------------------------------------------------------


def test_every_secret_the_code_reads_has_a_container(root, functions) -> None:  # type: ignore[no-untyped-def]
    read = code_facts.secret_names()
    assert "apify-webhook-secret" in read, "the scan should find the webhook secret"
    deployed = root.locals["secrets"]
    missing = {n: where for n, where in read.items() if n not in deployed and n not in NOT_SECRETS}
    assert not missing, f"secrets read by the code with no container: {missing}"
    for name, readers in deployed.items():
        assert readers and set(readers) <= set(functions), name
    assert "apify-webhook-secret" in deployed and "scrape" in deployed["apify-webhook-secret"]


def test_secret_values_never_enter_the_state() -> None:
    for path in tf_files():
        text = path.read_text(encoding="utf-8")
        assert "google_secret_manager_secret_version" not in text, path.name
        assert "secret_data" not in text, path.name
    # each function reads only its own secrets, one binding per secret
    module = load(FUNCTION_MODULE)
    access = module.resource("google_secret_manager_secret_iam_member", "access")
    assert access["for_each"] == "${var.secret_ids}"
    assert access["role"] == "roles/secretmanager.secretAccessor"


# --- environment -----------------------------------------------------------------------------


def test_every_environment_variable_the_code_reads_is_provided(root) -> None:  # type: ignore[no-untyped-def]
    env = {**root.locals["function_env"], **root.locals["scrape_env"]}
    read = set(ENV_FIELDS) | set(code_facts.env_reads())
    missing = sorted(read - set(env) - set(NOT_DEPLOYED))
    assert not missing, f"read by the code, not set by the deployment: {missing}"
    unknown = sorted(set(env) - read)
    assert not unknown, f"set by the deployment, read by no code: {unknown}"


def test_the_deployed_environment_is_valid_settings(root, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)  # no autoapply.yaml around
    env = {k: root.resolve(v, placeholder="value") for k, v in root.locals["function_env"].items()}
    settings = load_settings(env=env)
    backends = settings.backends
    assert (backends.store, backends.objects, backends.bus) == ("firestore", "gcs", "pubsub")
    assert (backends.secrets, backends.mailer) == ("secretmanager", "gmail")
    assert settings.sending.mode == "draft" and settings.gcp.bucket == "value"
    # every value a variable's validation admits is one the settings accept
    choices = (("send_mode", "AUTOAPPLY_SEND_MODE"), ("analyzer", "AUTOAPPLY_ANALYZER"))
    for variable, var_name in choices:
        condition = block(root.variables[variable], "validation")["condition"]
        allowed = re.findall(r'"(\w+)"', condition)
        assert allowed, condition
        for value in allowed:
            load_settings(env={**env, var_name: value})
    with pytest.raises(ConfigError):  # the control: a value outside them is refused
        load_settings(env={**env, "AUTOAPPLY_SEND_MODE": "spam"})


# --- schedule and health ---------------------------------------------------------------------


def test_scheduler_calls_an_existing_route_with_oidc(root) -> None:  # type: ignore[no-untyped-def]
    job = root.resource("google_cloud_scheduler_job", "runs")
    target = block(job, "http_target")
    match = re.fullmatch(r'\$\{module\.function\["(\w+)"\]\.uri\}(/\S*)', target["uri"])
    assert match, target["uri"]
    fn, path = match.groups()
    assert _routed(fn, target["http_method"], path), (fn, target["http_method"], path)
    oidc = block(target, "oidc_token")
    assert oidc["service_account_email"] == "${google_service_account.scheduler.email}"
    assert oidc["audience"] == "${local.scrape_callers_audience}"  # what scrape checks


def test_uptime_check_calls_health_with_oidc_and_alerts(root) -> None:  # type: ignore[no-untyped-def]
    check = root.resource("google_monitoring_uptime_check_config", "health")
    http = block(check, "http_check")
    assert _routed("health", http["request_method"], http["path"])
    assert block(http, "service_agent_authentication") == {"type": "OIDC_TOKEN"}
    assert 'module.function["health"].uri' in block(check, "monitored_resource")["labels"]["host"]
    policy = root.resource("google_monitoring_alert_policy", "health")
    condition = block(policy, "conditions", "condition_threshold")
    assert "google_monitoring_uptime_check_config.health.uptime_check_id" in condition["filter"]
    assert "uptime-check = local.monitoring_agent" in root.modules["function"]["invokers"]


# --- least privilege -------------------------------------------------------------------------


def test_only_scrape_is_public_and_only_where_needed_open(functions, module) -> None:  # type: ignore[no-untyped-def]
    assert [fn for fn, s in functions.items() if s["public"]] == ["scrape"]
    open_ingress = sorted(fn for fn, s in functions.items() if s["ingress"] == "ALLOW_ALL")
    assert open_ingress == ["health", "scrape"]
    public = module.resource("google_cloud_run_service_iam_member", "public")
    assert public["count"] == "${var.public ? 1 : 0}" and public["member"] == "allUsers"


def test_no_broad_roles_anywhere() -> None:
    for path in tf_files():
        for role in re.findall(r'role\s*=\s*"([^"]+)"', path.read_text(encoding="utf-8")):
            assert not re.search(r"(?i)admin|owner|editor", role), f"{path.name}: {role}"
            assert role != "roles/iam.serviceAccountUser", path.name


def test_project_level_roles_are_the_justified_ones(root, module) -> None:  # type: ignore[no-untyped-def]
    grants = [
        *root.resources.get("google_project_iam_member", {}).values(),
        *module.resources.get("google_project_iam_member", {}).values(),
    ]
    assert grants
    for grant in grants:
        assert grant["role"] in PROJECT_ROLES, grant["role"]
    firestore = module.resource("google_project_iam_member", "firestore")
    condition = block(firestore, "condition")["expression"]
    assert condition == 'resource.name == "${var.firestore_database}"'
    for kind in ("google_project_iam_binding", "google_project_iam_policy"):
        assert kind not in root.resources and kind not in module.resources


def test_each_function_runs_as_its_own_service_account(module) -> None:  # type: ignore[no-untyped-def]
    fn = module.resource("google_cloudfunctions2_function", "this")
    service = block(fn, "service_config")
    assert service["service_account_email"] == "${google_service_account.runtime.email}"
    assert block(fn, "build_config")["service_account"] == "${var.build_service_account}"
    publish = module.resource("google_pubsub_topic_iam_member", "publish")
    assert publish["for_each"] == "${var.publish_topic_ids}"


# --- Firestore -------------------------------------------------------------------------------


def test_ttl_policies_cover_collections_the_code_names(root) -> None:  # type: ignore[no-untyped-def]
    import common.store.collections as collections
    from common.adapters.store_firestore import TTL_FIELD

    names = {v for k, v in vars(collections).items() if k.isupper() and isinstance(v, str)}
    ttl = set(root.locals["ttl_collections"])
    assert root.locals["ttl_field"] == TTL_FIELD  # the field the adapter stores as a Timestamp
    assert ttl <= names, ttl - names
    assert collections.CLAIMS in ttl
    expiring = getattr(collections, "EXPIRING", ())
    assert set(expiring) <= ttl, f"collections that expire without a TTL policy: {expiring}"
    field = root.resource("google_firestore_field", "ttl")
    assert field["field"] == "${local.ttl_field}" and "ttl_config" in field


def test_indexes_match_queries_and_records(root) -> None:  # type: ignore[no-untyped-def]
    from common.domain.application import Application
    from common.domain.job import Job
    from common.services.sweep import STAGES
    from common.store.collections import APPLICATIONS, JOBS, OUTBOX

    #: fields of each indexed collection (the outbox record is a plain dict; its fields are
    #: the ones common/outreach/outbox.py writes)
    records = {
        JOBS: set(Job.model_fields),
        APPLICATIONS: set(Application.model_fields),
        OUTBOX: {"state", "claimed_at", "lease_until", "owner", "purpose"},
    }
    indexes = root.locals["firestore_indexes"].values()
    for index in indexes:
        fields = [f for f, _ in index["fields"]]
        assert set(fields) <= records[index["collection"]], index
    have = {(i["collection"], tuple(f for f, _ in i["fields"])) for i in indexes}
    for collection, filters, order, where in code_facts.ordered_queries():
        assert (collection, (*filters, order)) in have, f"{where}: no composite index"
    # the sweep: state == x and since <= t, ordered by since ascending
    ascending = {
        (i["collection"], tuple(f for f, _ in i["fields"]))
        for i in indexes
        if all(order == "ASCENDING" for _, order in i["fields"])
    }
    for stage in STAGES:
        assert stage.index() in ascending, f"sweep stage {stage.name}: no index {stage.index()}"
    needed = {stage.index() for stage in STAGES} | {
        (c, (*f, o)) for c, f, o, _ in code_facts.ordered_queries()
    }
    assert have <= needed, f"indexes no query uses: {have - needed}"


# --- interface -------------------------------------------------------------------------------


@pytest.mark.parametrize("folder", [TERRAFORM, FUNCTION_MODULE], ids=["root", "module"])
def test_variables_are_typed_and_described(folder) -> None:  # type: ignore[no-untyped-def]
    config = load(folder)
    assert config.variables
    for name, var in config.variables.items():
        assert var.get("type"), f"variable {name}: no type"
        assert len(var.get("description", "")) > 10, f"variable {name}: no description"
    for name, out in config.outputs.items():
        assert out.get("description"), f"output {name}: no description"


def test_outputs_name_the_urls_and_buckets(root) -> None:  # type: ignore[no-untyped-def]
    assert {"webhook_url", "health_url", "documents_bucket", "sources_bucket"} <= set(root.outputs)
    assert root.outputs["health_url"]["value"].endswith("/api/health/integrations")


def test_deploy_guide_names_every_secret_and_the_header(root) -> None:  # type: ignore[no-untyped-def]
    from common.services.scrape import SECRET_HEADER

    guide = (ROOT / "docs" / "deploy.md").read_text(encoding="utf-8")
    for name in root.locals["secrets"]:
        assert f"`{name}`" in guide, f"docs/deploy.md does not say where {name} goes"
    assert SECRET_HEADER in guide and "headersTemplate" in guide
    assert "autoapply auth gmail" in guide and "make deploy" in guide
    assert "terraform destroy" in guide or "make destroy" in guide


# --- the scanners themselves -----------------------------------------------------------------


def test_scanners_find_what_they_look_for(tmp_path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "sample.py").write_text(
        "LISTED_SECRETS = ('listed-secret', 'other-secret')\n"
        "def f(rt, store, bus, secrets):\n"
        "    rt.secrets.get('new-secret')\n"
        "    secrets.get('other-secret')\n"
        "    rt.settings.get('not-a-secret')\n"
        "    _secret(rt, 'wrapped-secret')\n"
        "    raise ValueError('secret apify-token is not set')\n"
        "    bus.publish(JOBS_MATCHED, {})\n"
        "    store.query(APPLICATIONS, [Where('status', '==', 'x')], order_by='updated_at')\n"
        "    store.query(JOBS, [Where('status', '==', 'x')])\n"
    )
    dirs = (tmp_path,)
    found = code_facts.secret_names(dirs)
    assert set(found) == {"new-secret", "other-secret", "wrapped-secret", "listed-secret"}
    assert set(code_facts.published_topics(dirs)) == {"jobs-matched"}
    assert [q[:3] for q in code_facts.ordered_queries(dirs)] == [
        ("applications", ["status"], "updated_at")
    ]


def test_scrape_google_routes_use_one_audience(root) -> None:  # type: ignore[no-untyped-def]
    """Scheduler and scrape's push subscription mint tokens for the audience scrape checks."""
    audience = "${local.scrape_callers_audience}"
    assert root.locals["scrape_env"]["AUTOAPPLY_OIDC_AUDIENCE"] == audience
    job = root.resource("google_cloud_scheduler_job", "runs")
    assert block(job, "http_target", "oidc_token")["audience"] == audience
    module = root.modules["function"]
    assert "local.scrape_callers_audience" in module["push_audience"]
    assert "local.scrape_env" in module["environment"]


def test_apify_webhook_url_is_configured_never_derived(root, functions) -> None:  # type: ignore[no-untyped-def]
    """POST /runs gives Apify a webhook that carries the secret header: its URL is the scrape
    function's deterministic Cloud Run URL, set by Terraform, on a route scrape serves."""
    assert root.locals["scrape_env"]["AUTOAPPLY_APIFY_WEBHOOK_URL"] == "${local.scrape_webhook_url}"
    url = root.locals["scrape_webhook_url"]
    match = re.fullmatch(
        r"https://\$\{var\.name_prefix\}-\$\{local\.function_short_name\[\"scrape\"\]\}"
        r"-\$\{local\.project_number\}\.\$\{var\.region\}\.run\.app(/\S+)",
        url,
    )
    assert match, url
    assert _routed("scrape", "POST", match.group(1))
    assert root.modules["function"]["name"] == (
        "${var.name_prefix}-${local.function_short_name[each.key]}"
    )


def test_the_sweep_ticks_on_every_stage_topic_and_its_function_may_publish_there(
    root, functions
) -> None:  # type: ignore[no-untyped-def]
    """Stuck work is republished by the function serving its topic, on a scheduled
    {"sweep": true} to that topic; without the tick or the publish right it would stay stuck."""
    from common.handlers import HANDLERS
    from common.services.sweep import STAGES

    swept = {stage.topic for stage in STAGES}
    assert set(root.locals["sweep_topics"]) == swept
    job = root.resource("google_cloud_scheduler_job", "sweep")
    assert job["for_each"] == "${toset(local.sweep_topics)}"
    target = block(job, "pubsub_target")
    assert target["topic_name"] == "${google_pubsub_topic.this[each.key].id}"
    assert "sweep = true" in target["data"].replace("\n", " ")
    for topic in swept:
        assert topic in HANDLERS, topic
        (fn,) = [f for f, s in functions.items() if s["subscriptions"].get(topic) == "/"]
        assert topic in functions[fn]["publishes"], f"{fn} cannot republish {topic}"


def test_scheduled_ticks_reach_the_send_email_handler(root) -> None:  # type: ignore[no-untyped-def]
    """The digest and the reply check run on a schedule, on the topic whose handler serves
    them: one scheduler job per entry of common.handlers.SCHEDULED."""
    from common.events import APPLICATIONS_READY
    from common.handlers import HANDLERS, SCHEDULED, on_applications_ready

    assert sorted(root.locals["scheduled_ticks"]) == sorted(SCHEDULED)
    job = root.resource("google_cloud_scheduler_job", "ticks")
    assert job["for_each"] == "${local.scheduled_ticks}"
    target = block(job, "pubsub_target")
    assert target["topic_name"] == f'${{google_pubsub_topic.this["{APPLICATIONS_READY}"].id}}'
    assert "(each.key) = true" in target["data"].replace("\n", " ")
    assert HANDLERS[APPLICATIONS_READY] is on_applications_ready
