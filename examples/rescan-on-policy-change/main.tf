variable "managed_spaces" {
  description = "Keys of the spaces to rescan whenever the rule policy changes."
  type        = set(string)
}

variable "rule_policy" {
  description = "Built-in rule name => whether it is enabled."
  type        = map(bool)
  default = {
    AWS_CLIENT_ID         = true
    AWS_SECRET_ACCESS_KEY = true
    GITHUB_TOKEN          = true
    EMAIL_ADDRESS         = false
  }
}

resource "securityforconfluence_builtin_rule" "policy" {
  for_each = var.rule_policy
  name     = each.key
  enabled  = each.value
}

# Toggling a rule leaves every earlier scan outdated until the next one. The
# hash of the applied policy changes with any toggle, which replaces each
# scan, which scans again; referring to the rule resources also orders the
# scans after the toggles.
resource "securityforconfluence_scan" "space" {
  for_each  = var.managed_spaces
  space_key = each.key

  triggers = {
    policy = sha1(jsonencode({
      for name, rule in securityforconfluence_builtin_rule.policy :
      name => rule.enabled
    }))
  }
}

output "scans" {
  value = {
    for key, scan in securityforconfluence_scan.space :
    key => {
      findings   = scan.findings_count
      up_to_date = scan.up_to_date_settings
      scanned_at = scan.scanned_at
    }
  }
}
