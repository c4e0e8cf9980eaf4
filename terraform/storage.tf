# Two private buckets: the documents (profile, resumes, letters) and the function sources.
resource "google_storage_bucket" "this" {
  #checkov:skip=CKV_GCP_62:Access logging would need a third bucket of logs; Cloud Audit Logs (Data Access) are the record to enable for a personal deployment, and only the functions, Cloud Build and Terraform read these buckets.
  for_each = toset(["documents", "sources"])

  name                        = "${var.project_id}-${var.name_prefix}-${each.key}"
  project                     = var.project_id
  location                    = local.bucket_location
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"
  force_destroy               = var.force_destroy_buckets
  labels                      = local.labels

  versioning {
    enabled = true
  }

  lifecycle_rule {
    condition {
      days_since_noncurrent_time = var.noncurrent_version_days
    }
    action {
      type = "Delete"
    }
  }

  depends_on = [google_project_service.apis]
}

# One zip per function, named by the SHA-256 of its content: a code change is a new object
# name, which changes build_config and so rebuilds and redeploys that function (and only it).
resource "google_storage_bucket_object" "source" {
  for_each = local.functions

  bucket       = google_storage_bucket.this["sources"].name
  name         = "sources/${each.key}/${filesha256("${var.build_dir}/${each.key}.zip")}.zip"
  source       = "${var.build_dir}/${each.key}.zip"
  content_type = "application/zip"
}

# The candidate's JSON Resume, where the functions look for it (common/runtime.py PROFILE_KEY).
resource "google_storage_bucket_object" "profile" {
  count = var.profile_file == null ? 0 : 1

  bucket       = google_storage_bucket.this["documents"].name
  name         = "candidate/profile.json"
  source       = var.profile_file
  content_type = "application/json"
}
