# Scan for every built-in rule except e-mail addresses, which are not secrets
# here. A rule that a later app version adds is enabled too.
resource "securityforconfluence_builtin_rules" "policy" {
  disabled_rules = ["EMAIL_ADDRESS"]
}
