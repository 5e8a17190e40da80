# Scan only for the rules this team has vetted. Every other built-in rule is
# disabled, and so is a rule that a later app version adds, until it is
# listed here.
resource "securityforconfluence_builtin_rules" "vetted" {
  enabled_rules = [
    "AWS_CLIENT_ID",
    "AWS_SECRET_ACCESS_KEY",
    "GITHUB_TOKEN",
    "RSA_PRIVATE_KEY",
    "SSH_PRIVATE_KEY",
  ]
}
