# --- building ----------------------------------------------------------------------------

resource "google_artifact_registry_repository" "functions" {
  #checkov:skip=CKV_GCP_84:The images hold only the open-source code and its pinned dependencies; a customer-managed key would add a KMS bill to a personal deployment.
  project       = var.project_id
  location      = var.region
  repository_id = "${var.name_prefix}-functions"
  description   = "Images built from the autoapply function sources."
  format        = "DOCKER"
  labels        = local.labels

  cleanup_policy_dry_run = false
  cleanup_policies {
    id     = "keep-recent"
    action = "KEEP"
    most_recent_versions {
      keep_count = 5
    }
  }
  cleanup_policies {
    id     = "delete-old"
    action = "DELETE"
    condition {
      older_than = "2592000s"
    }
  }

  depends_on = [google_project_service.apis]
}

# Cloud Build runs the function builds as this account: it reads the source zips, writes the
# images to the repository above and writes build logs. Nothing else.
resource "google_service_account" "build" {
  project      = var.project_id
  account_id   = "${var.name_prefix}-build"
  display_name = "autoapply: function builds"
}

resource "google_project_iam_member" "build_logs" {
  project = var.project_id
  role    = "roles/logging.logWriter"
  member  = google_service_account.build.member
}

resource "google_artifact_registry_repository_iam_member" "build_images" {
  project    = var.project_id
  location   = var.region
  repository = google_artifact_registry_repository.functions.name
  role       = "roles/artifactregistry.writer"
  member     = google_service_account.build.member
}

resource "google_storage_bucket_iam_member" "build_sources" {
  bucket = google_storage_bucket.this["sources"].name
  role   = "roles/storage.objectViewer"
  member = google_service_account.build.member
}

# --- the five functions ------------------------------------------------------------------

module "function" {
  source   = "./modules/function"
  for_each = local.functions

  project_id            = var.project_id
  region                = var.region
  name                  = "${var.name_prefix}-${local.function_short_name[each.key]}"
  description           = each.value.description
  entry_point           = each.value.entry_point
  runtime               = var.python_runtime
  source_bucket         = google_storage_bucket.this["sources"].name
  source_object         = google_storage_bucket_object.source[each.key].name
  build_service_account = google_service_account.build.id
  docker_repository     = google_artifact_registry_repository.functions.id
  memory                = each.value.memory
  timeout_seconds       = each.value.timeout
  max_instances         = var.max_instances
  ingress               = each.value.ingress
  public                = each.value.public
  environment           = merge(local.function_env, each.key == "scrape" ? local.scrape_env : {})
  push_audience         = each.key == "scrape" ? local.scrape_callers_audience : null
  labels                = local.labels
  documents_bucket      = google_storage_bucket.this["documents"].name
  bucket_role           = each.value.bucket_role
  firestore_database    = local.firestore_db_name
  pubsub_agent          = local.pubsub_agent
  max_delivery_attempts = var.max_delivery_attempts

  invokers = merge(
    each.key == "scrape" ? { scheduler = google_service_account.scheduler.member } : {},
    each.key == "health" ? { uptime-check = local.monitoring_agent } : {},
  )

  secret_ids = {
    for name, readers in local.secrets : name => google_secret_manager_secret.this[name].id
    if contains(readers, each.key)
  }

  publish_topic_ids = {
    for topic in each.value.publishes : topic => google_pubsub_topic.this[topic].id
  }

  subscriptions = {
    for topic, path in each.value.subscriptions : topic => {
      topic_id          = google_pubsub_topic.this[topic].id
      path              = path
      dead_letter_topic = topic == local.dead_letter_topic ? null : google_pubsub_topic.this[local.dead_letter_topic].id
    }
  }

  depends_on = [
    google_project_service.apis,
    google_project_service_identity.agents,
    google_firestore_database.this,
    google_project_iam_member.build_logs,
    google_artifact_registry_repository_iam_member.build_images,
    google_storage_bucket_iam_member.build_sources,
  ]
}

# --- the schedule ------------------------------------------------------------------------

resource "google_service_account" "scheduler" {
  project      = var.project_id
  account_id   = "${var.name_prefix}-scheduler"
  display_name = "autoapply: scheduled runs (OIDC caller of POST /runs)"
}

resource "google_cloud_scheduler_job" "runs" {
  project          = var.project_id
  region           = var.region
  name             = "${var.name_prefix}-runs"
  description      = "Starts the configured Apify searches."
  schedule         = var.schedule
  time_zone        = var.schedule_time_zone
  attempt_deadline = "320s"

  retry_config {
    retry_count          = 3
    min_backoff_duration = "30s"
    max_backoff_duration = "300s"
  }

  http_target {
    http_method = "POST"
    uri         = "${module.function["scrape"].uri}/runs"
    headers     = { "Content-Type" = "application/json" }
    body        = base64encode("{}")

    oidc_token {
      service_account_email = google_service_account.scheduler.email
      audience              = local.scrape_callers_audience
    }
  }

  depends_on = [google_project_service.apis]
}

# The sweep (common/services/sweep.py): on each tick {"sweep": true} reaches the function of
# each pipeline topic, which republishes its own work stuck in a non-final state longer than a
# lease (jobs ingested or matched, applications pending, deliveries left `sending`, deferred
# applications now due). The store is the truth; a lost message only delays work.
resource "google_cloud_scheduler_job" "sweep" {
  for_each = toset(local.sweep_topics)

  project     = var.project_id
  region      = var.region
  name        = "${var.name_prefix}-sweep-${each.key}"
  description = "Republishes ${each.key} work that is stuck (lost message, crash) or due again."
  schedule    = var.sweep_schedule
  time_zone   = var.schedule_time_zone

  pubsub_target {
    topic_name = google_pubsub_topic.this[each.key].id
    data       = base64encode(jsonencode({ sweep = true }))
  }

  depends_on = [google_project_service.apis]
}

# Scheduled ticks on the send_email topic (common/handlers.py SCHEDULED): {"digest": true}
# mails the candidate a digest of new matches with their apply links and documents (one send
# of the daily cap); {"replies": true} marks sent applications whose Gmail thread got an
# answer (gmail.readonly).
locals {
  scheduled_ticks = {
    digest = {
      schedule    = var.digest_schedule
      description = "Mails the candidate a digest of new matches (apply links, documents)."
    }
    replies = {
      schedule    = var.replies_schedule
      description = "Marks sent applications whose Gmail thread got an answer."
    }
  }
}

resource "google_cloud_scheduler_job" "ticks" {
  for_each = local.scheduled_ticks

  project     = var.project_id
  region      = var.region
  name        = "${var.name_prefix}-${each.key}"
  description = each.value.description
  schedule    = each.value.schedule
  time_zone   = var.schedule_time_zone

  pubsub_target {
    topic_name = google_pubsub_topic.this["applications-ready"].id
    data       = base64encode(jsonencode({ (each.key) = true }))
  }

  depends_on = [google_project_service.apis]
}
