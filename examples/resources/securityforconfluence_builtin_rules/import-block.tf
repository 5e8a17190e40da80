# A Confluence has one built-in policy; its import id is always "default".
import {
  to = securityforconfluence_builtin_rules.policy
  id = "default"
}
