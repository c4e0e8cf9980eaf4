# The facts the rest of the configuration is built from. tests/packaging/test_terraform.py
# cross-checks them against the code (entry points, topics, routes, secrets, env variables).

locals {
  labels = merge({ app = "autoapply", managed-by = "terraform" }, var.labels)

  # Pub/Sub topics: one per pipeline stage, the scrape function's continuation queue, and the
  # dead-letter topic. Keys are the logical names the code uses (common/events.py).
  topics = [
    "jobs-ingested",
    "jobs-matched",
    "applications-ready",
    "ingest-continue",
    "dead-letters",
  ]
  dead_letter_topic = "dead-letters"

  # The sweep: Cloud Scheduler publishes {"sweep": true} to each of these topics, and the
  # function serving it republishes its own stuck work there (so it may publish to it).
  sweep_topics = ["jobs-ingested", "jobs-matched", "applications-ready"]

  # Every function: its entry point, how it is reached, and exactly what it may touch.
  #   subscriptions: topic -> path of the push subscription (OIDC) that delivers that topic
  #   publishes:     topics it may publish to (roles/pubsub.publisher on each topic only); an
  #                  event function also publishes to its own topic, for its sweep
  #   bucket_role:   its role on the documents bucket (null: none)
  #   secrets:       the Secret Manager secrets it may read are listed in local.secrets below
  functions = {
    scrape = {
      entry_point   = "scrape_http"
      description   = "Apify webhooks (POST /webhooks/apify), scheduled runs (POST /runs) and dataset continuation (POST /tasks/ingest-continue)."
      public        = true # the webhook authenticates itself with the secret header
      ingress       = "ALLOW_ALL"
      memory        = "512Mi"
      timeout       = 540
      subscriptions = { "ingest-continue" = "/tasks/ingest-continue" }
      publishes     = ["jobs-ingested", "ingest-continue"]
      bucket_role   = null
    }
    analyze = {
      entry_point   = "analyze_jobs"
      description   = "Scores ingested jobs (topic jobs-ingested)."
      public        = false
      ingress       = "ALLOW_INTERNAL_ONLY"
      memory        = "512Mi"
      timeout       = 540
      subscriptions = { "jobs-ingested" = "/" }
      publishes     = ["jobs-matched", "jobs-ingested"]
      bucket_role   = "roles/storage.objectViewer" # reads candidate/profile.json
    }
    generate_docs = {
      entry_point   = "generate_documents"
      description   = "Writes the tailored resume and cover letter (topic jobs-matched)."
      public        = false
      ingress       = "ALLOW_INTERNAL_ONLY"
      memory        = "1Gi"
      timeout       = 540
      subscriptions = { "jobs-matched" = "/" }
      publishes     = ["applications-ready", "jobs-matched"]
      bucket_role   = "roles/storage.objectUser" # reads the profile, writes the documents
    }
    send_email = {
      entry_point   = "send_application"
      description   = "Delivers each application email once (topic applications-ready)."
      public        = false
      ingress       = "ALLOW_INTERNAL_ONLY"
      memory        = "512Mi"
      timeout       = 300
      subscriptions = { "applications-ready" = "/" }
      publishes     = ["applications-ready"]
      bucket_role   = "roles/storage.objectViewer" # reads the documents it attaches
    }
    health = {
      entry_point = "health_check"
      description = "Health of the integrations (GET /api/health/...) and the dead-letter sink (POST /pubsub/dead-letters)."
      public      = false
      # The uptime checkers call from outside Google's network: ingress stays open, IAM does not.
      ingress       = "ALLOW_ALL"
      memory        = "256Mi"
      timeout       = 60
      subscriptions = { "dead-letters" = "/pubsub/dead-letters" }
      publishes     = []
      bucket_role   = "roles/storage.objectViewer" # the storage probe lists objects
    }
  }

  # Secret Manager secrets (containers only: add the values with `gcloud secrets versions add`,
  # so they never enter the Terraform state) -> the functions whose service account may read it.
  # The health function checks that each needed secret is present (never returning a value).
  secrets = {
    "apify-token"                   = ["scrape", "health"]
    "apify-webhook-secret"          = ["scrape", "health"]
    "apify-webhook-secret-previous" = ["scrape"]
    "gemini-api-key"                = ["analyze", "generate_docs", "health"] # generate_docs: Gemini writes the letters
    "gmail-client-id"               = ["send_email", "health"]
    "gmail-client-secret"           = ["send_email", "health"]
    "gmail-refresh-token"           = ["send_email", "health"]
  }

  # Firestore collections whose documents carry an `expires_at` time and are deleted by a TTL
  # policy once it has passed (common/store/collections.py). The Firestore adapter stores that
  # field as a Timestamp, the only type a TTL policy acts on (common/adapters/store_firestore.py).
  ttl_field = "expires_at"
  ttl_collections = [
    "claims", # idempotency leases
    "audit",  # the audit trail of external calls
    "sweeps", # the sweep's backoff marker per stuck item
  ]

  # Composite indexes: the collection, then (field, order) pairs, for queries that filter on
  # status and order by a timestamp. The *-since indexes serve the sweep's queries (state ==,
  # time <=, ordered by that time: common/services/sweep.py STAGES).
  firestore_indexes = {
    jobs-ingested-since = {
      collection = "jobs"
      fields     = [["status", "ASCENDING"], ["ingested_at", "ASCENDING"]]
    }
    jobs-updated-since = {
      collection = "jobs"
      fields     = [["status", "ASCENDING"], ["updated_at", "ASCENDING"]]
    }
    applications-updated-since = {
      collection = "applications"
      fields     = [["status", "ASCENDING"], ["updated_at", "ASCENDING"]]
    }
    applications-due-since = {
      collection = "applications"
      fields     = [["status", "ASCENDING"], ["not_before", "ASCENDING"]]
    }
    outbox-claimed-since = {
      collection = "outbox"
      fields     = [["state", "ASCENDING"], ["claimed_at", "ASCENDING"]]
    }
    jobs-waiting-due = {
      collection = "jobs"
      fields     = [["status", "ASCENDING"], ["not_before", "ASCENDING"]]
    }
    jobs-by-status = {
      collection = "jobs"
      fields     = [["status", "ASCENDING"], ["ingested_at", "DESCENDING"]]
    }
    applications-by-status = {
      collection = "applications"
      fields     = [["status", "ASCENDING"], ["updated_at", "DESCENDING"]]
    }
  }

  # The environment of every function (common/settings.py ENV_FIELDS).
  function_env = {
    GOOGLE_CLOUD_PROJECT         = var.project_id
    AUTOAPPLY_STORE              = "firestore"
    AUTOAPPLY_OBJECTS            = "gcs"
    AUTOAPPLY_BUS                = "pubsub"
    AUTOAPPLY_SECRETS            = "secretmanager"
    AUTOAPPLY_MAILER             = "gmail"
    AUTOAPPLY_SEND_MODE          = var.send_mode
    AUTOAPPLY_ANALYZER           = var.analyzer
    AUTOAPPLY_FIRESTORE_DATABASE = var.firestore_database
    AUTOAPPLY_BUCKET             = google_storage_bucket.this["documents"].name
    AUTOAPPLY_TOPIC_PREFIX       = var.topic_prefix
    AUTOAPPLY_DATA_DIR           = "/tmp/autoapply" # the only writable folder of a function
  }

  # The scrape function is public (Apify cannot send Google tokens), so its Google-only routes
  # (POST /runs from Scheduler, POST /tasks/* from Pub/Sub push) check the OIDC token
  # themselves: this audience, and one of these callers. The push account's email is derived
  # from its account id (modules/function: "<name>-push") to avoid a module self-reference.
  scrape_callers_audience = "${var.name_prefix}-scrape-callers"
  # Apify's ad-hoc webhooks carry the secret header, so their URL is configured here, never
  # taken from a request's Host. It is Cloud Run's deterministic URL of the scrape function,
  # https://SERVICE-PROJECT_NUMBER.REGION.run.app, known before the function exists (no
  # self-reference); the service name and project number fit its 63-character DNS label
  # (name_prefix has at most 11 characters).
  scrape_webhook_url = "https://${var.name_prefix}-${local.function_short_name["scrape"]}-${local.project_number}.${var.region}.run.app/webhooks/apify"
  scrape_env = {
    AUTOAPPLY_OIDC_AUDIENCE     = local.scrape_callers_audience
    AUTOAPPLY_APIFY_WEBHOOK_URL = local.scrape_webhook_url
    AUTOAPPLY_OIDC_SERVICE_ACCOUNTS = join(",", [
      google_service_account.scheduler.email,
      "${var.name_prefix}-${local.function_short_name["scrape"]}-push@${var.project_id}.iam.gserviceaccount.com",
    ])
  }

  project_number      = data.google_project.this.number
  pubsub_agent        = "serviceAccount:service-${local.project_number}@gcp-sa-pubsub.iam.gserviceaccount.com"
  monitoring_agent    = "serviceAccount:service-${local.project_number}@gcp-sa-monitoring-notification.iam.gserviceaccount.com"
  firestore_location  = coalesce(var.firestore_location, var.region)
  bucket_location     = upper(coalesce(var.bucket_location, var.region))
  firestore_db_name   = "projects/${var.project_id}/databases/${var.firestore_database}"
  function_short_name = { for k in keys(local.functions) : k => replace(k, "_", "-") }
}
