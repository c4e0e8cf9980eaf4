resource "google_firestore_database" "this" {
  project                           = var.project_id
  name                              = var.firestore_database
  location_id                       = local.firestore_location
  type                              = "FIRESTORE_NATIVE"
  concurrency_mode                  = "OPTIMISTIC"
  point_in_time_recovery_enablement = "POINT_IN_TIME_RECOVERY_ENABLED"
  delete_protection_state           = var.firestore_deletion_policy == "DELETE" ? "DELETE_PROTECTION_DISABLED" : "DELETE_PROTECTION_ENABLED"
  deletion_policy                   = var.firestore_deletion_policy

  depends_on = [google_project_service.apis]
}

# Documents whose `expires_at` timestamp has passed are deleted by Firestore (within about a day).
resource "google_firestore_field" "ttl" {
  for_each = toset(local.ttl_collections)

  project    = var.project_id
  database   = google_firestore_database.this.name
  collection = each.value
  field      = local.ttl_field

  ttl_config {}

  # A TTL field needs no single-field index of its own.
  index_config {}
}

resource "google_firestore_index" "composite" {
  for_each = local.firestore_indexes

  project    = var.project_id
  database   = google_firestore_database.this.name
  collection = each.value.collection

  dynamic "fields" {
    for_each = each.value.fields
    content {
      field_path = fields.value[0]
      order      = fields.value[1]
    }
  }
}
