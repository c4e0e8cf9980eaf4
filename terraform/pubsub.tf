resource "google_pubsub_topic" "this" {
  #checkov:skip=CKV_GCP_83:Messages carry ids only (no personal data); Google-managed encryption applies, a customer-managed key would add a KMS bill to a personal deployment.
  for_each = toset(local.topics)

  name                       = "${var.topic_prefix}${each.value}"
  project                    = var.project_id
  labels                     = local.labels
  message_retention_duration = "604800s"

  depends_on = [google_project_service.apis]
}

# Dead-lettering: Pub/Sub's service agent forwards a message that failed
# var.max_delivery_attempts times to the dead-letter topic. It needs to publish there (and to
# acknowledge on each source subscription: granted by the function module).
resource "google_pubsub_topic_iam_member" "dead_letter_publisher" {
  project = var.project_id
  topic   = google_pubsub_topic.this[local.dead_letter_topic].name
  role    = "roles/pubsub.publisher"
  member  = local.pubsub_agent

  depends_on = [google_project_service_identity.agents]
}
