variable "space_keys" {
  description = "Keys of the spaces the gate watches."
  type        = list(string)
}

variable "strict" {
  description = <<-EOT
    Fail the plan with an error when a space has unreviewed findings. A failed
    check block is only a warning, and terraform plan still exits 0; strict
    turns the same test into a postcondition, which is an error.
  EOT
  type        = bool
  default     = false
}

# count rather than for_each: data sources have no lifecycle for a reordered
# list to disturb.
data "securityforconfluence_space_findings" "gate" {
  count     = length(var.space_keys)
  space_key = var.space_keys[count.index]

  lifecycle {
    postcondition {
      condition     = !var.strict || self.unreviewed_count == 0
      error_message = "Space ${self.space_key} has ${self.unreviewed_count} unreviewed findings. Remove the secrets from the pages (and rotate them), or review the false positives in the space's Security Analysis."
    }
  }
}

locals {
  # For each space, rule name => review state of each of its findings.
  reviewed_by_rule = {
    for space in data.securityforconfluence_space_findings.gate :
    space.space_key => { for f in space.findings : f.rule_name => f.reviewed... }
  }

  unreviewed_counts = {
    for space in data.securityforconfluence_space_findings.gate :
    space.space_key => space.unreviewed_count if space.unreviewed_count > 0
  }
}

check "no_unreviewed_findings" {
  assert {
    condition     = length(local.unreviewed_counts) == 0
    error_message = "Unreviewed findings (space = count): ${jsonencode(local.unreviewed_counts)}. Remove the secrets from the pages (and rotate them), or review the false positives in each space's Security Analysis."
  }
}

output "findings_by_rule" {
  description = "Per space and rule: all findings, and how many are unreviewed."
  value = {
    for key, rules in local.reviewed_by_rule :
    key => {
      for rule, states in rules :
      rule => {
        total      = length(states)
        unreviewed = length([for reviewed in states : reviewed if !reviewed])
      }
    }
  }
}
