variable "accepted_findings" {
  description = "Every finding of space DOCS that is accepted as a false positive."
  type = list(object({
    rule_name  = string
    match_text = string
  }))
  sensitive = true
}

# Owns every review of space DOCS: reviews made in the Security Analysis and
# not listed here are removed on apply. Never combine it with
# securityforconfluence_reviewed_finding for the same space.
resource "securityforconfluence_space_reviewed_findings" "docs" {
  space_key = "DOCS"
  reviews   = var.accepted_findings
}

# Clears every review of space SANDBOX, including ones for text that no
# content holds any more.
resource "securityforconfluence_space_reviewed_findings" "sandbox" {
  space_key = "SANDBOX"
  reviews   = []
}
