# Metrics from what the functions already log, a dashboard, and the alerts that need a person.
#
# Every metric counts one kind of structured log line: `jsonPayload.event` names it and the
# other `jsonPayload.*` fields are that event's fields, all named in common/log_fields.py
# (docs/operations.md lists them). tests/packaging/test_observability.py checks every field
# used here (filters, labels, values, the dashboard, the alerts) against what the code writes.

locals {
  # Only the lines of this deployment's functions (gen2 functions log as Cloud Run revisions).
  log_filter = "resource.type=\"cloud_run_revision\" AND resource.labels.service_name=~\"^${var.name_prefix}-\""

  # name -> what it counts. filter: the event (and conditions) on top of local.log_filter;
  # labels: metric label -> log field; value: null counts lines, a field makes a distribution.
  log_metrics = {
    invocations = {
      description = "Function calls by function and outcome (ok, deferred, rejected, failed)."
      filter      = "jsonPayload.event=\"invocation\""
      labels      = { function = "function", outcome = "outcome" }
      value       = null
      unit        = "1"
    }
    error_lines = {
      description = "Log lines at ERROR or above, by function."
      filter      = "severity>=ERROR AND jsonPayload.function:*"
      labels      = { function = "function" }
      value       = null
      unit        = "1"
    }
    external_calls = {
      description = "Calls to Apify, Gemini, Gmail and storage by service, operation and outcome."
      filter      = "jsonPayload.event=\"external_call\""
      labels      = { service = "service", operation = "operation", outcome = "outcome" }
      value       = null
      unit        = "1"
    }
    external_call_latency = {
      description = "Latency of external calls, by service and outcome."
      filter      = "jsonPayload.event=\"external_call\""
      labels      = { service = "service", outcome = "outcome" }
      value       = "latency_ms"
      unit        = "ms"
    }
    breaker_transitions = {
      description = "Circuit breaker state changes, by service and new state."
      filter      = "jsonPayload.event=\"breaker_transition\""
      labels      = { service = "service", to_state = "to_state" }
      value       = null
      unit        = "1"
    }
    integration_checks = {
      description = "Health checks of each integration, by status (ok, degraded, down)."
      filter      = "jsonPayload.event=\"integration_health\""
      labels      = { service = "service", status = "status" }
      value       = null
      unit        = "1"
    }
    breaker_not_closed = {
      description = "Health checks that found a breaker open or half-open, by service."
      filter      = "jsonPayload.event=\"integration_health\" AND jsonPayload.breaker=(\"open\" OR \"half_open\")"
      labels      = { service = "service" }
      value       = null
      unit        = "1"
    }
    gmail_auth_failures = {
      description = "Gmail refusing the credential (invalid_grant, a missing scope) on a call or a health check."
      filter      = "jsonPayload.event=(\"external_call\" OR \"integration_health\") AND jsonPayload.service=\"gmail\" AND jsonPayload.error_type=\"AuthError\""
      labels      = { event = "event" }
      value       = null
      unit        = "1"
    }
    gemini_calls = {
      description = "Gemini generateContent answers, by model and finish reason."
      filter      = "jsonPayload.event=\"llm_call\""
      labels      = { model = "model", finish_reason = "finish_reason" }
      value       = null
      unit        = "1"
    }
    gemini_prompt_tokens = {
      description = "Input tokens per Gemini call."
      filter      = "jsonPayload.event=\"llm_call\""
      labels      = { model = "model" }
      value       = "prompt_tokens"
      unit        = "1"
    }
    gemini_output_tokens = {
      description = "Answer tokens per Gemini call (thinking tokens are counted apart)."
      filter      = "jsonPayload.event=\"llm_call\""
      labels      = { model = "model" }
      value       = "output_tokens"
      unit        = "1"
    }
    gemini_thinking_tokens = {
      description = "Thinking tokens per Gemini call (billed as output)."
      filter      = "jsonPayload.event=\"llm_call\""
      labels      = { model = "model" }
      value       = "thinking_tokens"
      unit        = "1"
    }
    gemini_budget_used = {
      description = "Share of the daily Gemini budget used, at each call counted."
      filter      = "jsonPayload.event=\"llm_budget\" AND jsonPayload.outcome=\"reserved\""
      labels      = {}
      value       = "day_used_pct"
      unit        = "%"
    }
    gemini_budget_exhausted = {
      description = "Gemini calls refused by the shared budget, by scope (day, minute, cooldown)."
      filter      = "jsonPayload.event=\"llm_budget\" AND jsonPayload.outcome=\"exhausted\""
      labels      = { scope = "scope" }
      value       = null
      unit        = "1"
    }
    gemini_budget_gone_before_noon = {
      description = "Gemini calls refused because the daily budget was used up before 12:00 UTC."
      filter      = "jsonPayload.event=\"llm_budget\" AND jsonPayload.outcome=\"exhausted\" AND jsonPayload.scope=\"day\" AND jsonPayload.before_noon=true"
      labels      = {}
      value       = null
      unit        = "1"
    }
    ingest_received = {
      description = "Scraped items read per ingest batch."
      filter      = "jsonPayload.event=\"ingest\""
      labels      = {}
      value       = "received"
      unit        = "1"
    }
    ingest_inserted = {
      description = "New jobs stored per ingest batch."
      filter      = "jsonPayload.event=\"ingest\""
      labels      = {}
      value       = "inserted"
      unit        = "1"
    }
    ingest_duplicates = {
      description = "Items already known, per ingest batch."
      filter      = "jsonPayload.event=\"ingest\""
      labels      = {}
      value       = "duplicates"
      unit        = "1"
    }
    ingest_rejected = {
      description = "Items refused per ingest batch, by reason."
      filter      = "jsonPayload.event=\"ingest_rejected\""
      labels      = { reason = "reason" }
      value       = "count"
      unit        = "1"
    }
    jobs_analyzed = {
      description = "Jobs scored, by decision (apply, review, skip, filtered)."
      filter      = "jsonPayload.event=\"job_analyzed\""
      labels      = { decision = "decision" }
      value       = null
      unit        = "1"
    }
    documents_written = {
      description = "Applications whose resume and cover letter were written."
      filter      = "jsonPayload.event=\"documents_written\""
      labels      = {}
      value       = null
      unit        = "1"
    }
    applications = {
      description = "Applications by delivery state (drafted, sent, deferred, no_contact, ...)."
      filter      = "jsonPayload.event=\"application\""
      labels      = { status = "status", mode = "mode" }
      value       = null
      unit        = "1"
    }
    dead_letters = {
      description = "Messages kept as dead letters, by topic and source (pubsub, expired, permanent)."
      filter      = "jsonPayload.event=\"dead_letter\""
      labels      = { topic = "topic", source = "source" }
      value       = null
      unit        = "1"
    }
  }

  # the metric types as Cloud Monitoring names them, for the dashboard and the alerts
  log_metric_type = { for k, _ in local.log_metrics : k => "logging.googleapis.com/user/${var.name_prefix}_${k}" }
}

resource "google_logging_metric" "this" {
  for_each = local.log_metrics

  project     = var.project_id
  name        = "${var.name_prefix}_${each.key}"
  description = each.value.description
  filter      = "${local.log_filter} AND ${each.value.filter}"

  metric_descriptor {
    metric_kind = "DELTA"
    value_type  = each.value.value == null ? "INT64" : "DISTRIBUTION"
    unit        = each.value.unit

    dynamic "labels" {
      for_each = each.value.labels
      content {
        key        = labels.key
        value_type = "STRING"
      }
    }
  }

  label_extractors = { for label, field in each.value.labels : label => "EXTRACT(jsonPayload.${field})" }
  value_extractor  = each.value.value == null ? null : "EXTRACT(jsonPayload.${each.value.value})"

  dynamic "bucket_options" {
    for_each = each.value.value == null ? [] : [1]
    content {
      exponential_buckets {
        num_finite_buckets = 32
        growth_factor      = 2
        scale              = 1
      }
    }
  }

  depends_on = [google_project_service.apis]
}

resource "google_monitoring_dashboard" "this" {
  project = var.project_id
  dashboard_json = templatefile("${path.module}/dashboard.json", {
    name_prefix   = var.name_prefix
    metric_prefix = "logging.googleapis.com/user/${var.name_prefix}_"
    promql_prefix = "logging_googleapis_com:user_${replace(var.name_prefix, "-", "_")}_"
  })

  depends_on = [google_logging_metric.this]
}

# A breaker that stays open: an integration has been failing for a while. The health check
# (every var.uptime_check_period) logs the breaker's state; this fires when every window of
# var.breaker_alert_minutes saw it open or half-open.
resource "google_monitoring_alert_policy" "breaker_open" {
  project               = var.project_id
  display_name          = "${var.name_prefix}: a circuit breaker stays open"
  combiner              = "OR"
  notification_channels = google_monitoring_notification_channel.email[*].id

  conditions {
    display_name = "breaker open or half-open for ${var.breaker_alert_minutes} minutes"

    condition_threshold {
      filter          = "metric.type=\"${local.log_metric_type["breaker_not_closed"]}\" AND resource.type=\"cloud_run_revision\""
      comparison      = "COMPARISON_GT"
      threshold_value = 0
      duration        = "${var.breaker_alert_minutes * 60}s"

      aggregations {
        alignment_period     = "900s"
        per_series_aligner   = "ALIGN_SUM"
        cross_series_reducer = "REDUCE_SUM"
        group_by_fields      = ["metric.label.service"]
      }
    }
  }

  alert_strategy {
    auto_close = "86400s"
  }

  documentation {
    content   = "An integration's circuit breaker has stayed open: calls to it are refused and the pipeline waits. See the dashboard's external calls by outcome and the health endpoint; fix the service or its credential, the breaker closes on the next successful trial."
    mime_type = "text/markdown"
  }

  depends_on = [google_logging_metric.this]
}

# The failed share of a function's calls (a message that failed for good, or an unexpected
# exception). Deferred messages (an open breaker, a used-up Gemini budget) are not errors.
resource "google_monitoring_alert_policy" "error_rate" {
  project               = var.project_id
  display_name          = "${var.name_prefix}: function error rate"
  combiner              = "OR"
  notification_channels = google_monitoring_notification_channel.email[*].id

  conditions {
    display_name = "failed calls over ${var.error_rate_alert * 100}% of a function's calls"

    condition_threshold {
      filter             = "metric.type=\"${local.log_metric_type["invocations"]}\" AND resource.type=\"cloud_run_revision\" AND metric.label.outcome=\"failed\""
      denominator_filter = "metric.type=\"${local.log_metric_type["invocations"]}\" AND resource.type=\"cloud_run_revision\""
      comparison         = "COMPARISON_GT"
      threshold_value    = var.error_rate_alert
      duration           = "600s"

      aggregations {
        alignment_period     = "300s"
        per_series_aligner   = "ALIGN_SUM"
        cross_series_reducer = "REDUCE_SUM"
        group_by_fields      = ["metric.label.function"]
      }

      denominator_aggregations {
        alignment_period     = "300s"
        per_series_aligner   = "ALIGN_SUM"
        cross_series_reducer = "REDUCE_SUM"
        group_by_fields      = ["metric.label.function"]
      }
    }
  }

  alert_strategy {
    auto_close = "86400s"
  }

  documentation {
    content   = "A function fails for good on a large share of its calls. In Logs Explorer, filter `jsonPayload.event=\"invocation\" AND jsonPayload.outcome=\"failed\"`, open one line and click its trace to see the job's whole journey."
    mime_type = "text/markdown"
  }

  depends_on = [google_logging_metric.this]
}

# Alerts on any occurrence of a counted event: policy -> its metric and what to do.
locals {
  occurrence_alerts = {
    # A message kept as a dead letter: it exhausted its deliveries (forwarded by Pub/Sub to
    # the dead-letter topic and stored by the health function), failed for good, or was too
    # old. The `dead_letter` event is written once by every source.
    dead_letters = {
      title      = "messages dead-lettered"
      condition  = "messages kept as dead letters"
      metric     = "dead_letters"
      group_by   = ["metric.label.topic", "metric.label.source"]
      auto_close = "86400s"
      doc        = "A message could not be handled (after ${var.max_delivery_attempts} deliveries, or for good) and was kept as a dead letter. See the function logs (the dead letter's line names its trace), fix the cause, then run `autoapply replay`."
    }
    gmail_auth = {
      title      = "Gmail refuses the credential"
      condition  = "Gmail AuthError (invalid_grant or a missing scope)"
      metric     = "gmail_auth_failures"
      group_by   = []
      auto_close = "86400s"
      doc        = "Gmail refused the refresh token (invalid_grant: revoked, or expired after 7 days while the OAuth app is in Testing) or the token lacks a scope. Nothing is sent meanwhile. Run `autoapply auth gmail`, store the new token as secret gmail-refresh-token, then `autoapply doctor`."
    }
    gemini_budget = {
      title      = "Gemini budget used up before noon"
      condition  = "daily Gemini budget exhausted before 12:00 UTC"
      metric     = "gemini_budget_gone_before_noon"
      group_by   = []
      auto_close = "43200s"
      doc        = "The daily Gemini budget (gemini.requests_per_day) was used up in the morning: the remaining jobs wait until tomorrow (never dropped). Raise scoring.llm_threshold to ask Gemini less often, or raise the budget if your quota allows."
    }
  }
}

resource "google_monitoring_alert_policy" "occurrence" {
  for_each = local.occurrence_alerts

  project               = var.project_id
  display_name          = "${var.name_prefix}: ${each.value.title}"
  combiner              = "OR"
  notification_channels = google_monitoring_notification_channel.email[*].id

  conditions {
    display_name = each.value.condition

    condition_threshold {
      filter          = "metric.type=\"${local.log_metric_type[each.value.metric]}\" AND resource.type=\"cloud_run_revision\""
      comparison      = "COMPARISON_GT"
      threshold_value = 0
      duration        = "0s"

      aggregations {
        alignment_period     = "300s"
        per_series_aligner   = "ALIGN_SUM"
        cross_series_reducer = "REDUCE_SUM"
        group_by_fields      = each.value.group_by
      }
    }
  }

  alert_strategy {
    auto_close = each.value.auto_close
  }

  documentation {
    content   = each.value.doc
    mime_type = "text/markdown"
  }

  depends_on = [google_logging_metric.this]
}

moved {
  from = google_monitoring_alert_policy.dead_letters
  to   = google_monitoring_alert_policy.occurrence["dead_letters"]
}
