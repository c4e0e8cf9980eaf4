# Containers only. Terraform never sees a value: add each one with
#   printf %s "$VALUE" | gcloud secrets versions add NAME --data-file=-
# The functions read `latest`, so a new version takes effect within the code's cache time.
resource "google_secret_manager_secret" "this" {
  for_each = local.secrets

  project   = var.project_id
  secret_id = each.key
  labels    = local.labels

  replication {
    auto {}
  }

  depends_on = [google_project_service.apis]
}
