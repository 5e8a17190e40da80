package provider

import (
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"
)

func unexpectedProviderDataDiagnostic(got any) diag.Diagnostic {
	return diag.NewErrorDiagnostic("Unexpected Provider Data Type",
		fmt.Sprintf("Expected *providerData from the provider's Configure, got %T. "+
			"This is a bug in the provider; please report it to the provider developers.", got))
}

// providerNotConfiguredDiagnostic explains why an operation that needs the API
// cannot run: Configure saw unknown values and built no client.
func providerNotConfiguredDiagnostic(action string) diag.Diagnostic {
	return diag.NewErrorDiagnostic("Provider Not Configured",
		fmt.Sprintf("The provider could not %s because its configuration still has unknown values, "+
			"so no Confluence client was built. This happens when url or a credential comes from a resource "+
			"that does not exist yet. Apply that resource first, for example with -target, then run again.", action))
}

// clientErrorDiagnostic reports a failed API call. The client's error already
// says what the server answered and what to check; the summary and action
// say what the provider was doing at the time.
func clientErrorDiagnostic(summary, action string, err error) diag.Diagnostic {
	return diag.NewErrorDiagnostic(summary,
		fmt.Sprintf("The provider could not %s.\n\nOriginal Error: %s", action, err))
}
