variable "project_id" {
  description = "The Google Cloud project to deploy into (it must exist and have billing enabled)."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{4,28}[a-z0-9]$", var.project_id))
    error_message = "project_id: expected a Google Cloud project id (6-30 lowercase letters, digits, hyphens)."
  }
}

variable "region" {
  description = "Region of the functions, buckets, scheduler job and Artifact Registry repository."
  type        = string
  default     = "europe-west1"
}

variable "name_prefix" {
  description = "Prefix of every resource name (functions, service accounts, buckets, subscriptions)."
  type        = string
  default     = "autoapply"

  validation {
    # 11 characters keep the longest service account id ("<prefix>-generate-docs-push") at 30.
    condition     = can(regex("^[a-z][a-z0-9-]{1,9}[a-z0-9]$", var.name_prefix))
    error_message = "name_prefix: expected 3-11 lowercase letters, digits or hyphens, starting with a letter."
  }
}

variable "topic_prefix" {
  description = "Prefix of the Pub/Sub topic names (AUTOAPPLY_TOPIC_PREFIX); empty for the plain names."
  type        = string
  default     = ""

  validation {
    condition     = can(regex("^([a-zA-Z][a-zA-Z0-9._~+%-]*)?$", var.topic_prefix))
    error_message = "topic_prefix: expected empty, or a name start (a letter, then letters, digits, . _ ~ + % -)."
  }
}

variable "build_dir" {
  description = "Folder holding the zipped deploy bundles <function>.zip (written by `make package`)."
  type        = string
  default     = "../build/zip"
}

variable "python_runtime" {
  description = "Cloud Functions runtime of every function."
  type        = string
  default     = "python311"
}

variable "firestore_database" {
  description = "Firestore database id (AUTOAPPLY_FIRESTORE_DATABASE); \"(default)\" is the free-tier one."
  type        = string
  default     = "(default)"
}

variable "firestore_location" {
  description = "Firestore location (a region such as europe-west1, or a multi-region such as eur3); null uses var.region."
  type        = string
  default     = null
}

variable "firestore_deletion_policy" {
  description = "What `terraform destroy` does to the Firestore database: ABANDON keeps it (and your data), DELETE removes it."
  type        = string
  default     = "ABANDON"

  validation {
    condition     = contains(["ABANDON", "DELETE"], var.firestore_deletion_policy)
    error_message = "firestore_deletion_policy: expected ABANDON or DELETE."
  }
}

variable "bucket_location" {
  description = "Location of the buckets; null uses var.region."
  type        = string
  default     = null
}

variable "force_destroy_buckets" {
  description = "Let `terraform destroy` delete buckets that still hold objects (documents, old sources)."
  type        = bool
  default     = false
}

variable "noncurrent_version_days" {
  description = "Days a replaced or deleted object version is kept before it is removed."
  type        = number
  default     = 30

  validation {
    condition     = var.noncurrent_version_days >= 1
    error_message = "noncurrent_version_days: expected at least 1."
  }
}

variable "send_mode" {
  description = "How applications leave the system (AUTOAPPLY_SEND_MODE): draft (Gmail drafts you send yourself) or send."
  type        = string
  default     = "draft"

  validation {
    condition     = contains(["draft", "send"], var.send_mode)
    error_message = "send_mode: expected draft or send."
  }
}

variable "analyzer" {
  description = "Analyzer (AUTOAPPLY_ANALYZER): auto (Gemini when the gemini-api-key secret has a value), local or gemini."
  type        = string
  default     = "auto"

  validation {
    condition     = contains(["auto", "local", "gemini"], var.analyzer)
    error_message = "analyzer: expected auto, local or gemini."
  }
}

variable "schedule" {
  description = "Cron schedule of the scraping runs (Cloud Scheduler calls POST /runs on the scrape function)."
  type        = string
  default     = "0 7 * * 1-5"
}

variable "sweep_schedule" {
  description = "Cron schedule of the sweep: work stuck in a non-final state longer than a lease, and deferred applications whose time has come, are published again."
  type        = string
  default     = "*/30 * * * *"
}

variable "digest_schedule" {
  description = "Cron schedule of the daily digest to the candidate's own mailbox (new matches, apply links, documents)."
  type        = string
  default     = "0 18 * * *"
}

variable "replies_schedule" {
  description = "Cron schedule of the check for employers' answers in the Gmail threads of sent applications."
  type        = string
  default     = "0 */6 * * *"
}

variable "schedule_time_zone" {
  description = "Time zone of var.schedule (an IANA name)."
  type        = string
  default     = "Etc/UTC"
}

variable "max_delivery_attempts" {
  description = "Pub/Sub deliveries of one message before it goes to the dead-letter topic (5-100)."
  type        = number
  default     = 10

  validation {
    condition     = var.max_delivery_attempts >= 5 && var.max_delivery_attempts <= 100
    error_message = "max_delivery_attempts: expected a number from 5 to 100 (the Pub/Sub limits)."
  }
}

variable "max_instances" {
  description = "Upper bound on the instances of each function: a ceiling on cost and on parallel calls to Gemini and Gmail."
  type        = number
  default     = 3

  validation {
    condition     = var.max_instances >= 1 && var.max_instances <= 100
    error_message = "max_instances: expected a number from 1 to 100."
  }
}

variable "alert_email" {
  description = "Email address notified by the alert policies (health check failing, dead letters, a breaker open too long, function errors, Gmail refusing the token, the Gemini budget used up early); null for no notification channel."
  type        = string
  default     = null
}

variable "uptime_check_period" {
  description = "How often the uptime check calls the health endpoint (60s, 300s, 600s or 900s)."
  type        = string
  default     = "300s"

  validation {
    condition     = contains(["60s", "300s", "600s", "900s"], var.uptime_check_period)
    error_message = "uptime_check_period: expected 60s, 300s, 600s or 900s."
  }
}

variable "breaker_alert_minutes" {
  description = "Alert when an integration's circuit breaker stays open or half-open this many minutes."
  type        = number
  default     = 30

  validation {
    condition     = var.breaker_alert_minutes >= 15 && var.breaker_alert_minutes <= 1440
    error_message = "breaker_alert_minutes: expected 15 to 1440 (the health check runs every few minutes)."
  }
}

variable "error_rate_alert" {
  description = "Alert when this share (0-1) of a function's calls fail for good over 10 minutes."
  type        = number
  default     = 0.1

  validation {
    condition     = var.error_rate_alert > 0 && var.error_rate_alert < 1
    error_message = "error_rate_alert: expected a share between 0 and 1, e.g. 0.1."
  }
}

variable "profile_file" {
  description = "Path of your JSON Resume file, uploaded to the documents bucket as candidate/profile.json; null to upload it yourself."
  type        = string
  default     = null
}

variable "labels" {
  description = "Labels added to every resource that takes labels."
  type        = map(string)
  default     = {}
}
