# Keep AWS client IDs scanned, whatever someone clicks on the settings page.
resource "securityforconfluence_builtin_rule" "aws_client_id" {
  name    = "AWS_CLIENT_ID"
  enabled = true
}

# E-mail addresses are not secrets here: stop reporting them.
resource "securityforconfluence_builtin_rule" "email_address" {
  name    = "EMAIL_ADDRESS"
  enabled = false
}

# Several rules at once.
resource "securityforconfluence_builtin_rule" "tokens" {
  for_each = toset(["GITHUB_TOKEN", "SLACK_TOKEN", "STRIPE_SECRET_KEY"])

  name    = each.key
  enabled = true
}
