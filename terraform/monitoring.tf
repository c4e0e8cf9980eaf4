# The health endpoint, called every var.uptime_check_period with an OIDC token minted by the
# Cloud Monitoring service agent (which alone may invoke it: roles/run.invoker on health).
resource "google_monitoring_uptime_check_config" "health" {
  project      = var.project_id
  display_name = "${var.name_prefix} health"
  timeout      = "30s"
  period       = var.uptime_check_period

  http_check {
    path           = "/api/health/integrations"
    port           = 443
    use_ssl        = true
    validate_ssl   = true
    request_method = "GET"

    service_agent_authentication {
      type = "OIDC_TOKEN"
    }

    accepted_response_status_codes {
      status_class = "STATUS_CLASS_2XX"
    }
  }

  monitored_resource {
    type = "uptime_url"
    labels = {
      project_id = var.project_id
      host       = trimsuffix(trimprefix(module.function["health"].uri, "https://"), "/")
    }
  }

  depends_on = [google_project_service.apis]
}

resource "google_monitoring_notification_channel" "email" {
  count = var.alert_email == null ? 0 : 1

  project      = var.project_id
  display_name = "${var.name_prefix} alerts"
  type         = "email"
  labels       = { email_address = var.alert_email }
}

resource "google_monitoring_alert_policy" "health" {
  project               = var.project_id
  display_name          = "${var.name_prefix}: health check failing"
  combiner              = "OR"
  notification_channels = google_monitoring_notification_channel.email[*].id

  conditions {
    display_name = "GET /api/health/integrations fails"

    condition_threshold {
      filter          = "metric.type=\"monitoring.googleapis.com/uptime_check/check_passed\" AND metric.label.check_id=\"${google_monitoring_uptime_check_config.health.uptime_check_id}\" AND resource.type=\"uptime_url\""
      comparison      = "COMPARISON_GT"
      threshold_value = 1
      duration        = "600s"

      aggregations {
        alignment_period     = "1200s"
        per_series_aligner   = "ALIGN_NEXT_OLDER"
        cross_series_reducer = "REDUCE_COUNT_FALSE"
        group_by_fields      = ["resource.label.project_id", "resource.label.host"]
      }

      trigger {
        count = 1
      }
    }
  }

  documentation {
    content   = "The autoapply health endpoint answers 503 or does not answer. Open it with `curl -H \"Authorization: Bearer $(gcloud auth print-identity-token)\" HEALTH_URL` to see which integration is down."
    mime_type = "text/markdown"
  }
}

# Dead letters, Gmail auth failures and an early-spent Gemini budget alert on any occurrence:
# terraform/observability.tf (google_monitoring_alert_policy.occurrence).
