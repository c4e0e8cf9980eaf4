# One Cloud Function (gen2) with its own identity and nothing more than it needs:
# a runtime service account, an invoker service account for its push subscriptions, and IAM
# bindings on the individual topics, secrets, bucket and database it uses.

locals {
  has_push = length(var.subscriptions) > 0
}

resource "google_service_account" "runtime" {
  project      = var.project_id
  account_id   = "${var.name}-run"
  display_name = "${var.name}: runtime identity"
}

resource "google_cloudfunctions2_function" "this" {
  #checkov:skip=CKV_GCP_124:ALLOW_ALL is set only where callers come from outside Google's network (scrape: Apify webhooks; health: the uptime checkers); the other functions use ALLOW_INTERNAL_ONLY. IAM or the function itself still authenticates every call.
  project     = var.project_id
  location    = var.region
  name        = var.name
  description = var.description
  labels      = var.labels

  build_config {
    runtime           = var.runtime
    entry_point       = var.entry_point
    docker_repository = var.docker_repository
    service_account   = var.build_service_account

    source {
      storage_source {
        bucket = var.source_bucket
        object = var.source_object
      }
    }
  }

  service_config {
    available_memory                 = var.memory
    timeout_seconds                  = var.timeout_seconds
    min_instance_count               = 0
    max_instance_count               = var.max_instances
    max_instance_request_concurrency = 1
    ingress_settings                 = var.ingress
    all_traffic_on_latest_revision   = true
    service_account_email            = google_service_account.runtime.email
    environment_variables            = var.environment
  }
}

# --- who may call it ---------------------------------------------------------------------

resource "google_cloud_run_service_iam_member" "public" {
  #checkov:skip=CKV_GCP_102:Only the scrape function sets public: Apify cannot mint Google tokens, so its webhook authenticates itself (secret header, constant-time) and the scheduled and push routes check their OIDC tokens.
  count = var.public ? 1 : 0

  project  = var.project_id
  location = var.region
  service  = google_cloudfunctions2_function.this.name
  role     = "roles/run.invoker"
  member   = "allUsers"
}

resource "google_cloud_run_service_iam_member" "invokers" {
  for_each = var.invokers

  project  = var.project_id
  location = var.region
  service  = google_cloudfunctions2_function.this.name
  role     = "roles/run.invoker"
  member   = each.value
}

# --- what it may touch -------------------------------------------------------------------

# Firestore: read and write documents in this database only (an IAM condition on the database).
resource "google_project_iam_member" "firestore" {
  project = var.project_id
  role    = "roles/datastore.user"
  member  = google_service_account.runtime.member

  condition {
    title       = "${var.name}-database"
    description = "Only the autoapply database."
    expression  = "resource.name == \"${var.firestore_database}\""
  }
}

resource "google_storage_bucket_iam_member" "documents" {
  count = var.bucket_role == null ? 0 : 1

  bucket = var.documents_bucket
  role   = var.bucket_role
  member = google_service_account.runtime.member
}

resource "google_pubsub_topic_iam_member" "publish" {
  for_each = var.publish_topic_ids

  project = var.project_id
  topic   = each.value
  role    = "roles/pubsub.publisher"
  member  = google_service_account.runtime.member
}

resource "google_secret_manager_secret_iam_member" "access" {
  for_each = var.secret_ids

  project   = var.project_id
  secret_id = each.value
  role      = "roles/secretmanager.secretAccessor"
  member    = google_service_account.runtime.member
}

# --- how messages reach it ---------------------------------------------------------------

# The identity Pub/Sub presents (an OIDC token) when it pushes a message to this function.
resource "google_service_account" "push" {
  count = local.has_push ? 1 : 0

  project      = var.project_id
  account_id   = "${var.name}-push"
  display_name = "${var.name}: Pub/Sub push identity"
}

resource "google_cloud_run_service_iam_member" "push" {
  count = local.has_push ? 1 : 0

  project  = var.project_id
  location = var.region
  service  = google_cloudfunctions2_function.this.name
  role     = "roles/run.invoker"
  member   = google_service_account.push[0].member
}

# Pub/Sub mints the push tokens as this account (needed for projects created before 2021-04-08).
resource "google_service_account_iam_member" "push_token" {
  count = local.has_push ? 1 : 0

  service_account_id = google_service_account.push[0].name
  role               = "roles/iam.serviceAccountTokenCreator"
  member             = var.pubsub_agent
}

resource "google_pubsub_subscription" "push" {
  for_each = var.subscriptions

  project = var.project_id
  name    = "${var.name}-${each.key}"
  topic   = each.value.topic_id
  labels  = var.labels

  ack_deadline_seconds       = var.timeout_seconds
  message_retention_duration = "604800s"

  expiration_policy {
    ttl = "" # never expires, even when idle for weeks
  }

  # Redelivery with exponential backoff (the equivalent of RETRY_POLICY_RETRY on an event
  # trigger), until the message is dead-lettered.
  retry_policy {
    minimum_backoff = "10s"
    maximum_backoff = "600s"
  }

  dynamic "dead_letter_policy" {
    for_each = each.value.dead_letter_topic == null ? [] : [each.value.dead_letter_topic]
    content {
      dead_letter_topic     = dead_letter_policy.value
      max_delivery_attempts = var.max_delivery_attempts
    }
  }

  push_config {
    push_endpoint = "${google_cloudfunctions2_function.this.service_config[0].uri}${each.value.path}"

    oidc_token {
      service_account_email = google_service_account.push[0].email
      audience              = coalesce(var.push_audience, google_cloudfunctions2_function.this.service_config[0].uri)
    }
  }

  depends_on = [google_cloud_run_service_iam_member.push]
}

# Dead-lettering acknowledges the message on the source subscription as the Pub/Sub agent.
resource "google_pubsub_subscription_iam_member" "dead_letter_ack" {
  for_each = { for k, v in var.subscriptions : k => v if v.dead_letter_topic != null }

  project      = var.project_id
  subscription = google_pubsub_subscription.push[each.key].name
  role         = "roles/pubsub.subscriber"
  member       = var.pubsub_agent
}
