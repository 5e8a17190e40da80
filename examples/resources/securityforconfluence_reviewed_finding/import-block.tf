# Recommended: the import id carries only the text's hash, computed from the
# sensitive variable, so neither the plan nor a log holds the text. The text
# must still be listed in the space, reviewed. OpenTofu refuses a sensitive
# import id, hence nonsensitive(): the hash shows no more than the id does.
import {
  to = securityforconfluence_reviewed_finding.revoked_key
  id = "OPS/AWS_CLIENT_ID/sha256:${nonsensitive(sha256(var.revoked_aws_key_id))}"
}

# For names with other characters, percent-encode them the same way:
#   replace(urlencode(var.rule_name), "+", "%20")

# A review whose text no content holds any more can only be imported with
# the exact text. Terraform itself records import ids in plain text in saved
# plans (importing.id) and TRACE logs, so use this form only when the hash
# form cannot work, and treat the plan file as secret. OpenTofu refuses this
# form from a sensitive variable; there, declare the resource and apply
# instead: creating a review that already exists changes nothing.
#
# import {
#   to = securityforconfluence_reviewed_finding.revoked_key
#   id = jsonencode({
#     space_key  = "OPS"
#     rule_name  = "AWS_CLIENT_ID"
#     match_text = var.revoked_aws_key_id
#   })
# }
