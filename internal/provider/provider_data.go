package provider

import (
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/secconf/terraform-provider-securityforconfluence/internal/client"
)

// providerData is what Configure hands to every resource and data source.
// It is nil while the provider configuration still has unknown values.
type providerData struct {
	client *client.Client

	// reads shares list calls between the resources of one provider process,
	// so a plan with fifty rules costs one GET rules, not fifty.
	reads *readCache
}

func newProviderData(apiClient *client.Client) *providerData {
	return &providerData{client: apiClient, reads: newReadCache(apiClient)}
}

// providerDataFrom converts the value the framework passes to a resource's or
// data source's Configure. It returns nil, without a diagnostic, before the
// provider is configured and when its configuration has unknown values.
func providerDataFrom(raw any, diags *diag.Diagnostics) *providerData {
	if raw == nil {
		return nil
	}
	data, ok := raw.(*providerData)
	if !ok {
		diags.Append(unexpectedProviderDataDiagnostic(raw))
		return nil
	}
	return data
}

// requireClient reports, with a diagnostic, whether data can make API calls.
// Call it where an operation cannot be skipped, such as Create during apply.
func requireClient(data *providerData, diags *diag.Diagnostics, action string) bool {
	if data != nil && data.client != nil {
		return true
	}
	diags.Append(providerNotConfiguredDiagnostic(action))
	return false
}

// deferOrFailDataSourceRead handles a data source read while the provider
// configuration has unknown values: Terraform versions that can defer a read
// get it deferred, the others a clear error.
func deferOrFailDataSourceRead(req datasource.ReadRequest, resp *datasource.ReadResponse, action string) {
	if req.ClientCapabilities.DeferralAllowed {
		resp.Deferred = &datasource.Deferred{Reason: datasource.DeferredReasonProviderConfigUnknown}
		return
	}
	notConfigured := providerNotConfiguredDiagnostic(action)
	resp.Diagnostics.AddError(notConfigured.Summary(), notConfigured.Detail()+
		" Alternatively, give the data source a depends_on on that resource: Terraform then reads it during apply, "+
		"once the provider's values are known.")
}
