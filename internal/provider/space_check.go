package provider

import (
	"context"
	"errors"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/secconf/terraform-provider-securityforconfluence/internal/client"
)

// checkSpaceExists turns a missing space into an error on attr. It is
// skipped while the key is unknown or the provider has no client yet, so a
// plan can still run before its values are known.
func checkSpaceExists(ctx context.Context, data *providerData, attr path.Path, spaceKey types.String) diag.Diagnostics {
	var diags diag.Diagnostics
	if spaceKey.IsUnknown() || spaceKey.IsNull() || data == nil || data.client == nil {
		return diags
	}
	_, err := data.reads.Space(ctx, spaceKey.ValueString())
	switch {
	case errors.Is(err, client.ErrNotFound):
		diags.Append(spaceNotFoundDiagnostic(attr, spaceKey.ValueString()))
	case err != nil:
		diags.Append(clientErrorDiagnostic("Look Up Space Error",
			fmt.Sprintf("look up space %q to check %s", spaceKey.ValueString(), attributeName(attr)), err))
	}
	return diags
}

// spaceNotFoundDiagnostic quotes the key, so a key of blanks or with a
// stray space shows as such.
func spaceNotFoundDiagnostic(attr path.Path, spaceKey string) diag.Diagnostic {
	return diag.NewAttributeErrorDiagnostic(attr, "Space Not Found",
		fmt.Sprintf("%s is %q, but that space was not found: Confluence has no space with that key "+
			"that the provider's user can see. Space keys are case-sensitive, so check that the key "+
			"has the right case and no extra spaces; the space details page (Space tools, Overview) "+
			"shows the key, and a personal space's key is \"~\" followed by the username. "+
			"Also check that the user may view the space.", attributeName(attr), spaceKey))
}

// spaceMissing tells whether a 404 of a space's findings or export means the
// space is gone. The listing's 404 alone is not trusted, since a missing or
// disabled app answers 404 too; the space itself is asked.
func spaceMissing(ctx context.Context, data *providerData, spaceKey string, err error) bool {
	if !errors.Is(err, client.ErrNotFound) {
		return false
	}
	_, spaceErr := data.reads.Space(ctx, spaceKey)
	return errors.Is(spaceErr, client.ErrNotFound)
}

// spaceReadDiagnostic points a read of a space that does not exist at
// space_key, where the mistake is; any other failure keeps the client's
// own explanation.
func spaceReadDiagnostic(ctx context.Context, data *providerData, spaceKey string, err error) diag.Diagnostic {
	if spaceMissing(ctx, data, spaceKey, err) {
		return spaceNotFoundDiagnostic(path.Root("space_key"), spaceKey)
	}
	return readFindingsDiagnostic("space "+spaceKey, err)
}
