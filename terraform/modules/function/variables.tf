variable "project_id" {
  description = "Project of the function."
  type        = string
}

variable "region" {
  description = "Region of the function and its Cloud Run service."
  type        = string
}

variable "name" {
  description = "Function name (lowercase letters, digits, hyphens); also the prefix of its service account ids."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,24}$", var.name))
    error_message = "name: expected 2-25 lowercase letters, digits or hyphens, starting with a letter."
  }
}

variable "description" {
  description = "What the function does."
  type        = string
}

variable "entry_point" {
  description = "Python function in main.py that serves requests."
  type        = string
}

variable "runtime" {
  description = "Cloud Functions runtime, e.g. python311."
  type        = string
}

variable "source_bucket" {
  description = "Bucket holding the source zip."
  type        = string
}

variable "source_object" {
  description = "Object name of the source zip (content-addressed, so a change redeploys)."
  type        = string
}

variable "build_service_account" {
  description = "Full resource name of the service account Cloud Build runs the build as."
  type        = string
}

variable "docker_repository" {
  description = "Artifact Registry repository (projects/P/locations/L/repositories/R) for the built images."
  type        = string
}

variable "memory" {
  description = "Memory of one instance, e.g. 512Mi."
  type        = string
}

variable "timeout_seconds" {
  description = "Request timeout; also the ack deadline of its push subscriptions (at most 600)."
  type        = number

  validation {
    condition     = var.timeout_seconds >= 10 && var.timeout_seconds <= 600
    error_message = "timeout_seconds: expected 10 to 600 (the longest Pub/Sub ack deadline)."
  }
}

variable "max_instances" {
  description = "Upper bound on instances."
  type        = number
}

variable "ingress" {
  description = "ALLOW_ALL or ALLOW_INTERNAL_ONLY (Pub/Sub push and Scheduler from this project count as internal)."
  type        = string

  validation {
    condition     = contains(["ALLOW_ALL", "ALLOW_INTERNAL_ONLY"], var.ingress)
    error_message = "ingress: expected ALLOW_ALL or ALLOW_INTERNAL_ONLY."
  }
}

variable "public" {
  description = "Grant roles/run.invoker to allUsers (only for a function that authenticates its callers itself)."
  type        = bool
  default     = false
}

variable "invokers" {
  description = "Other members allowed to invoke the function (roles/run.invoker on its service only)."
  type        = map(string)
  default     = {}
}

variable "environment" {
  description = "Environment variables of the function."
  type        = map(string)
  default     = {}
}

variable "secret_ids" {
  description = "Secret Manager secret ids (projects/P/secrets/S) the function may read, by name."
  type        = map(string)
  default     = {}
}

variable "publish_topic_ids" {
  description = "Pub/Sub topic ids the function may publish to, by logical name."
  type        = map(string)
  default     = {}
}

variable "documents_bucket" {
  description = "The documents bucket."
  type        = string
}

variable "bucket_role" {
  description = "Role of the function on the documents bucket; null for none."
  type        = string
  default     = null
}

variable "firestore_database" {
  description = "Full name of the Firestore database (projects/P/databases/D); the function's datastore.user role is limited to it."
  type        = string
}

variable "subscriptions" {
  description = "Push subscriptions delivering to the function: logical topic -> {topic id, path, dead-letter topic id or null}."
  type = map(object({
    topic_id          = string
    path              = string
    dead_letter_topic = optional(string)
  }))
  default = {}
}

variable "max_delivery_attempts" {
  description = "Deliveries of one message before it is dead-lettered."
  type        = number
}

variable "pubsub_agent" {
  description = "IAM member of the Pub/Sub service agent (mints push tokens, dead-letters messages)."
  type        = string
}

variable "labels" {
  description = "Labels of the function and its subscriptions."
  type        = map(string)
  default     = {}
}

variable "push_audience" {
  description = "Audience of the push subscriptions' OIDC tokens; null for the function's URL (a public function that checks tokens itself sets its own)."
  type        = string
  default     = null
}
