import {
  to = securityforconfluence_builtin_rule.aws_client_id
  id = "AWS_CLIENT_ID"
}
