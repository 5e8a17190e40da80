# The import ID is the rule name, exactly as the server lists it (case-sensitive).
terraform import securityforconfluence_builtin_rule.aws_client_id AWS_CLIENT_ID
