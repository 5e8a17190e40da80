package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"
)

var (
	_ resource.Resource                = (*builtinRuleResource)(nil)
	_ resource.ResourceWithConfigure   = (*builtinRuleResource)(nil)
	_ resource.ResourceWithModifyPlan  = (*builtinRuleResource)(nil)
	_ resource.ResourceWithImportState = (*builtinRuleResource)(nil)
)

type builtinRuleResource struct {
	data *providerData
}

func newBuiltinRuleResource() resource.Resource {
	return &builtinRuleResource{}
}

type builtinRuleModel struct {
	ID      types.String `tfsdk:"id"`
	Name    types.String `tfsdk:"name"`
	Enabled types.Bool   `tfsdk:"enabled"`
}

func (r *builtinRuleResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_builtin_rule"
}

func (r *builtinRuleResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Enables or disables one built-in scanning rule of Security for Confluence, such as `AWS_CLIENT_ID`. " +
			"Built-in rules ship with the app, so creating this resource adopts the rule and sets it to `enabled`; " +
			"destroy leaves the rule as it is and only removes it from Terraform state. " +
			"A toggle made on the settings page shows up as drift and is reverted on the next apply. " +
			"Scans made before a change count as outdated until the space is scanned again. " +
			"Custom rules cannot be managed with this resource. Needs a Confluence administrator.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: "The rule name, repeated for tools that expect an `id`.",
				Computed:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"name": schema.StringAttribute{
				MarkdownDescription: "Name of the built-in rule, exactly as the server lists it (case-sensitive), for example " +
					"`AWS_CLIENT_ID`. The `securityforconfluence_rules` data source lists the names. " +
					"Changing it forgets the old rule, leaving it as it is, and adopts the new one.",
				Required:      true,
				Validators:    []validator.String{stringvalidator.LengthAtLeast(1)},
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"enabled": schema.BoolAttribute{
				MarkdownDescription: "Whether scans use the rule.",
				Required:            true,
			},
		},
	}
}

func (r *builtinRuleResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

// ModifyPlan rejects a name that is not a built-in rule while planning, when
// the user can still fix it, rather than halfway through an apply.
func (r *builtinRuleResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		return
	}

	var name types.String
	resp.Diagnostics.Append(req.Plan.GetAttribute(ctx, path.Root("name"), &name)...)
	if resp.Diagnostics.HasError() {
		return
	}

	if !name.IsUnknown() {
		resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("id"), name)...)
	}
	resp.Diagnostics.Append(checkRuleName(ctx, r.data, path.Root("name"), name, true)...)
}

func (r *builtinRuleResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan builtinRuleModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}

	if !requireClient(r.data, &resp.Diagnostics, "adopt the built-in rule") {
		return
	}

	state := r.write(ctx, plan, "Create Built-in Rule Error", &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}

	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

func (r *builtinRuleResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state builtinRuleModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}

	// Without a client (unknown provider values during plan) the prior
	// state is the best answer there is.
	if r.data == nil {
		return
	}

	rules, err := r.data.reads.Rules(ctx)
	if err != nil {
		resp.Diagnostics.Append(clientErrorDiagnostic("Read Built-in Rule Error", "list the scanning rules", err))
		return
	}

	rule, found := findRule(rules, state.Name.ValueString())
	if !found {
		tflog.Warn(ctx, "Built-in rule no longer listed by the server; removing it from state", map[string]any{
			"name": state.Name.ValueString(),
		})
		resp.State.RemoveResource(ctx)
		return
	}

	state.ID = types.StringValue(rule.Name)
	state.Enabled = types.BoolValue(rule.Enabled)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

func (r *builtinRuleResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan builtinRuleModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}

	if !requireClient(r.data, &resp.Diagnostics, "change the built-in rule") {
		return
	}

	state := r.write(ctx, plan, "Update Built-in Rule Error", &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}

	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

// Delete leaves the rule enabled or disabled as it was last set: the rule
// belongs to the app, and nothing says which setting an operator would want
// once Terraform lets go of it. The framework removes the state afterwards.
func (r *builtinRuleResource) Delete(ctx context.Context, req resource.DeleteRequest, _ *resource.DeleteResponse) {
	var name types.String
	if diags := req.State.GetAttribute(ctx, path.Root("name"), &name); !diags.HasError() {
		tflog.Info(ctx, "Forgetting the built-in rule; its enabled setting stays as it is", map[string]any{
			"name": name.ValueString(),
		})
	}
}

func (r *builtinRuleResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	if !requireClient(r.data, &resp.Diagnostics, "import the built-in rule") {
		return
	}

	rules, err := r.data.reads.Rules(ctx)
	if err != nil {
		resp.Diagnostics.Append(clientErrorDiagnostic("Import Built-in Rule Error", "list the scanning rules", err))
		return
	}

	if problem := ruleNameProblem(rules, path.Root("name"), req.ID, true); problem != nil {
		resp.Diagnostics.AddError("Import Built-in Rule Error",
			"The import ID must be the exact name of a built-in rule, for example AWS_CLIENT_ID. "+problem.Detail())
		return
	}

	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("name"), req.ID)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), req.ID)...)
}

// write sets the rule as planned and returns the state read back from the
// server, so that whatever the server made of the request is what Terraform
// records.
func (r *builtinRuleResource) write(ctx context.Context, plan builtinRuleModel, summary string, diags *diag.Diagnostics) builtinRuleModel {
	name, enabled := plan.Name.ValueString(), plan.Enabled.ValueBool()

	_, err := r.data.client.SetBuiltInRuleEnabled(ctx, name, enabled)
	r.data.reads.InvalidateRules()
	if err != nil {
		diags.Append(clientErrorDiagnostic(summary, fmt.Sprintf("set the built-in rule %q to enabled = %t", name, enabled), err))
		return plan
	}

	rules, err := r.data.reads.Rules(ctx)
	if err != nil {
		diags.Append(clientErrorDiagnostic(summary, fmt.Sprintf("read back the built-in rule %q after changing it", name), err))
		return plan
	}

	rule, found := findRule(rules, name)
	if !found {
		diags.AddError(summary, fmt.Sprintf("The server accepted the change to the built-in rule %q but no longer lists it. "+
			"Check the rule on the app's settings page, then run terraform apply again.", name))
		return plan
	}

	return builtinRuleModel{
		ID:      types.StringValue(rule.Name),
		Name:    types.StringValue(rule.Name),
		Enabled: types.BoolValue(rule.Enabled),
	}
}
