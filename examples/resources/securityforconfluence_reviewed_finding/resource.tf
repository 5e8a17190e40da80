variable "revoked_aws_key_id" {
  description = "An AWS key id that was revoked and may stay on the page."
  type        = string
  sensitive   = true
}

# The text is kept in state, as a sensitive value.
resource "securityforconfluence_reviewed_finding" "revoked_key" {
  space_key  = "OPS"
  rule_name  = "AWS_CLIENT_ID"
  match_text = var.revoked_aws_key_id
}

variable "example_password_url" {
  description = "A documentation example that only looks like a credential."
  type        = string
  sensitive   = true
}

# Terraform or OpenTofu 1.11 and later: the text is sent but never stored;
# state keeps only its SHA-256. Bump the version to send the text again.
resource "securityforconfluence_reviewed_finding" "doc_example" {
  space_key             = "~jdoe"
  rule_name             = "PASSWORD_IN_URL"
  match_text_wo         = var.example_password_url
  match_text_wo_version = 1
}

output "doc_example_id" {
  # The id names the space, the rule and the text's hash, never the text.
  value = securityforconfluence_reviewed_finding.doc_example.id
}
