output "name" {
  description = "Function name."
  value       = google_cloudfunctions2_function.this.name
}

output "uri" {
  description = "HTTPS address of the function."
  value       = google_cloudfunctions2_function.this.service_config[0].uri
}

output "service_account_email" {
  description = "The function's runtime service account."
  value       = google_service_account.runtime.email
}

output "push_service_account_email" {
  description = "The service account its push subscriptions present (null when it has none)."
  value       = local.has_push ? google_service_account.push[0].email : null
}

output "subscriptions" {
  description = "Its push subscriptions, by logical topic."
  value       = { for k, s in google_pubsub_subscription.push : k => s.name }
}
