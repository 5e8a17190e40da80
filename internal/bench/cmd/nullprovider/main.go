// Command nullprovider is the second baseline of the benchmark: a plugin
// framework provider whose one resource makes no requests and does nothing
// but store its input. It costs what any framework provider costs Terraform
// per resource (gRPC calls, encoding, the SDKs' logging), so the provider
// under test can be held against it as well as against terraform_data,
// which is built into Terraform and costs no RPC at all. It is never
// released.
package main

import (
	"context"
	"log"
	"os"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/secconf/terraform-provider-securityforconfluence/internal/bench"
	"github.com/secconf/terraform-provider-securityforconfluence/internal/bench/profiling"
	securityprovider "github.com/secconf/terraform-provider-securityforconfluence/internal/provider"
)

func main() {
	stop, err := profiling.Start(os.Getenv(profiling.DirVariable))
	if err != nil {
		log.Fatal(err)
	}
	// The same logging defaults as the provider under test, so the two
	// differ only in what their resources do.
	if err := securityprovider.QuietUnrequestedLogs(bench.NullProviderName); err != nil {
		log.Fatal(err)
	}
	serveErr := providerserver.Serve(context.Background(), func() provider.Provider { return nullProvider{} },
		providerserver.ServeOpts{Address: bench.NullProviderAddress})
	stop()
	if serveErr != nil {
		log.Fatal(serveErr)
	}
}

type nullProvider struct{}

func (nullProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = bench.NullProviderName
}

func (nullProvider) Schema(context.Context, provider.SchemaRequest, *provider.SchemaResponse) {}

func (nullProvider) Configure(context.Context, provider.ConfigureRequest, *provider.ConfigureResponse) {
}

func (nullProvider) Resources(context.Context) []func() resource.Resource {
	return []func() resource.Resource{func() resource.Resource { return item{} }}
}

func (nullProvider) DataSources(context.Context) []func() datasource.DataSource { return nil }

// item stores its input and nothing else.
type item struct{}

type itemModel struct {
	Input types.String `tfsdk:"input"`
}

func (item) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_item"
}

func (item) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{Attributes: map[string]schema.Attribute{
		"input": schema.StringAttribute{Required: true},
	}}
}

func (item) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan itemModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

func (item) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state itemModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

func (item) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan itemModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

func (item) Delete(context.Context, resource.DeleteRequest, *resource.DeleteResponse) {}
