# Every rule, built-in and custom.
data "securityforconfluence_rules" "all" {}

# Built-in rules only.
data "securityforconfluence_rules" "built_in" {
  built_in = true
}

output "disabled_rules" {
  value = [for rule in data.securityforconfluence_rules.all.rules : rule.name if !rule.enabled]
}

output "built_in_rules_by_category" {
  value = {
    for rule in data.securityforconfluence_rules.built_in.rules : rule.category => rule.name...
  }
}
