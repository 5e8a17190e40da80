# The import id is <space key>/<rule name>/sha256:<SHA-256 of the match text>.
# The space key and the rule name are percent-encoded (everything but letters,
# digits, "-", ".", "_" and "~"); built-in rule names need no encoding.
# Compute the hash without putting the text on a command line or in history:
#   read -rs TEXT && printf '%s' "$TEXT" | sha256sum
# The finding must still be listed in the space, reviewed.
terraform import securityforconfluence_reviewed_finding.revoked_key \
  OPS/AWS_CLIENT_ID/sha256:3f2c8e0b7d4a9f1e6c5b2a8d7e4f1c0b9a8d7e6f5c4b3a2d1e0f9c8b7a6d5e4f
