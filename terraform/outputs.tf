output "webhook_url" {
  description = "Point the Apify webhooks here (POST, header X-Autoapply-Webhook-Secret)."
  value       = "${module.function["scrape"].uri}/webhooks/apify"
}

output "health_url" {
  description = "The integrations health endpoint (IAM-protected: call it with an identity token)."
  value       = "${module.function["health"].uri}/api/health/integrations"
}

output "function_urls" {
  description = "HTTPS address of each function."
  value       = { for k, m in module.function : k => m.uri }
}

output "documents_bucket" {
  description = "The documents bucket (AUTOAPPLY_BUCKET): the profile goes to candidate/profile.json."
  value       = google_storage_bucket.this["documents"].name
}

output "sources_bucket" {
  description = "The bucket of the function source zips."
  value       = google_storage_bucket.this["sources"].name
}

output "service_accounts" {
  description = "The runtime service account of each function."
  value       = { for k, m in module.function : k => m.service_account_email }
}

output "scheduler_service_account" {
  description = "The identity whose OIDC token Cloud Scheduler sends to POST /runs (audience: the scrape function URL)."
  value       = google_service_account.scheduler.email
}

output "push_service_accounts" {
  description = "The identity whose OIDC token each function's push subscriptions send."
  value       = { for k, m in module.function : k => m.push_service_account_email if m.push_service_account_email != null }
}

output "secrets" {
  description = "The secret containers to fill with `gcloud secrets versions add NAME --data-file=-`."
  value       = sort(keys(local.secrets))
}
