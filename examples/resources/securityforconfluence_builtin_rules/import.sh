# A Confluence has one built-in policy; its import id is always "default".
terraform import securityforconfluence_builtin_rules.policy default
