# The import id is the space key, exactly as Confluence shows it.
terraform import securityforconfluence_space_reviewed_findings.docs DOCS
