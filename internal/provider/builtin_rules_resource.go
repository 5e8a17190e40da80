package provider

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/resourcevalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/secconf/terraform-provider-securityforconfluence/internal/client"
)

// builtinRulesID is the id of the one policy a Confluence has; it is also the
// import id.
const builtinRulesID = "default"

var (
	_ resource.Resource                     = (*builtinRulesResource)(nil)
	_ resource.ResourceWithConfigure        = (*builtinRulesResource)(nil)
	_ resource.ResourceWithConfigValidators = (*builtinRulesResource)(nil)
	_ resource.ResourceWithModifyPlan       = (*builtinRulesResource)(nil)
	_ resource.ResourceWithImportState      = (*builtinRulesResource)(nil)
)

type builtinRulesResource struct {
	data *providerData
}

func newBuiltinRulesResource() resource.Resource {
	return &builtinRulesResource{}
}

type builtinRulesModel struct {
	ID            types.String `tfsdk:"id"`
	DisabledRules types.Set    `tfsdk:"disabled_rules"`
	EnabledRules  types.Set    `tfsdk:"enabled_rules"`
	AllRules      types.Set    `tfsdk:"all_rules"`
}

func (r *builtinRulesResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_builtin_rules"
}

func (r *builtinRulesResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	ruleNames := setvalidator.ValueStringsAre(stringvalidator.LengthAtLeast(1))
	resp.Schema = schema.Schema{
		MarkdownDescription: "The whole built-in scanning policy of Security for Confluence: which built-in rules are " +
			"enabled and which are disabled. Write either `disabled_rules` (every other built-in rule is enabled, " +
			"including rules a later app version adds) or `enabled_rules` (every other built-in rule is disabled, " +
			"including rules a later app version adds). A toggle made on the settings page shows in the next plan " +
			"and is set back by the next apply. Destroying the resource enables every built-in rule again.\n\n" +
			"~> **Important** Do not also manage a rule listed by this resource with " +
			"`securityforconfluence_builtin_rule`: the two resources would set the rule back and forth on every apply.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: "Always `" + builtinRulesID + "`: a Confluence has one built-in policy.",
				Computed:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"disabled_rules": schema.SetAttribute{
				MarkdownDescription: "Names of the built-in rules to disable, such as `EMAIL_ADDRESS`. Every other built-in " +
					"rule is enabled. Conflicts with `enabled_rules`; when neither is set, every built-in rule is enabled. " +
					"Names are checked against the server's list at plan time.",
				ElementType: types.StringType,
				Optional:    true,
				Computed:    true,
				Validators:  []validator.Set{ruleNames},
			},
			"enabled_rules": schema.SetAttribute{
				MarkdownDescription: "Names of the built-in rules to enable. Every other built-in rule is disabled, " +
					"including one that a later app version adds, until it is listed here. Conflicts with " +
					"`disabled_rules`. When `disabled_rules` is used instead, this lists the rules it leaves enabled.",
				ElementType: types.StringType,
				Optional:    true,
				Computed:    true,
				Validators:  []validator.Set{ruleNames},
			},
			"all_rules": schema.SetAttribute{
				MarkdownDescription: "Every built-in rule the server listed when this policy was last applied. A built-in " +
					"rule that an app upgrade adds shows in the plan as an addition here, with a warning naming it, and " +
					"the next apply enables or disables it as the policy says.",
				ElementType: types.StringType,
				Computed:    true,
			},
		},
	}
}

func (r *builtinRulesResource) ConfigValidators(_ context.Context) []resource.ConfigValidator {
	return []resource.ConfigValidator{
		resourcevalidator.Conflicting(path.MatchRoot("disabled_rules"), path.MatchRoot("enabled_rules")),
	}
}

func (r *builtinRulesResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

// ModifyPlan works out, from the server's rule list, the state every built-in
// rule will be in, so the plan shows both lists in full and a bad name fails
// before anything is applied.
func (r *builtinRulesResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() || r.data == nil || r.data.client == nil {
		return
	}

	var config, plan builtinRulesModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}

	rules, err := r.data.reads.Rules(ctx)
	if err != nil {
		resp.Diagnostics.Append(clientErrorDiagnostic("Read Scanning Rules Error", "list the scanning rules to plan the built-in policy", err))
		return
	}
	builtIns := builtInRuleNames(rules)

	resp.Diagnostics.Append(checkPolicyRuleNames(config, rules)...)
	if resp.Diagnostics.HasError() {
		return
	}

	if !req.State.Raw.IsNull() {
		var state builtinRulesModel
		resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
		resp.Diagnostics.Append(warnNewBuiltInRules(ctx, state.AllRules, builtIns, config)...)
	}

	plan.ID = types.StringValue(builtinRulesID)
	plan.AllRules = stringSet(builtIns)
	if enabled, known := desiredRuleStates(ctx, config, builtIns); known {
		plan.EnabledRules, plan.DisabledRules = splitByState(builtIns, enabled)
	}
	resp.Diagnostics.Append(resp.Plan.Set(ctx, &plan)...)
}

func (r *builtinRulesResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan builtinRulesModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() || !requireClient(r.data, &resp.Diagnostics, "apply the built-in rule policy") {
		return
	}

	state, diags := r.apply(ctx, plan)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}

	resp.Diagnostics.Append(resp.State.Set(ctx, state)...)
}

// Read refreshes both lists from the server but keeps all_rules as it was
// last applied, so that a rule an upgrade adds shows up as a change in plan.
func (r *builtinRulesResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state builtinRulesModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() || !requireClient(r.data, &resp.Diagnostics, "read the built-in rule policy") {
		return
	}

	rules, err := r.data.reads.Rules(ctx)
	if err != nil {
		resp.Diagnostics.Append(clientErrorDiagnostic("Read Scanning Rules Error", "list the scanning rules", err))
		return
	}

	refreshed := policyFromRules(rules)
	if !state.AllRules.IsNull() && !state.AllRules.IsUnknown() {
		refreshed.AllRules = state.AllRules
	}

	resp.Diagnostics.Append(resp.State.Set(ctx, refreshed)...)
}

func (r *builtinRulesResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan builtinRulesModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() || !requireClient(r.data, &resp.Diagnostics, "apply the built-in rule policy") {
		return
	}

	state, diags := r.apply(ctx, plan)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}

	resp.Diagnostics.Append(resp.State.Set(ctx, state)...)
}

// Delete enables every built-in rule again, which is how the app ships: a
// policy that nobody manages any more should not keep detection switched off
// without anyone noticing. A `removed` block with `destroy = false` forgets
// the policy without touching the server.
func (r *builtinRulesResource) Delete(ctx context.Context, _ resource.DeleteRequest, resp *resource.DeleteResponse) {
	if !requireClient(r.data, &resp.Diagnostics, "enable the built-in rules again") {
		return
	}

	rules, err := r.data.reads.Rules(ctx)
	if err != nil {
		resp.Diagnostics.Append(clientErrorDiagnostic("Delete Built-In Rule Policy Error", "list the scanning rules", err))
		return
	}

	everyRuleOn := map[string]bool{}
	for _, name := range builtInRuleNames(rules) {
		everyRuleOn[name] = true
	}
	resp.Diagnostics.Append(r.writeDifferences(ctx, rules, everyRuleOn)...)
}

func (r *builtinRulesResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	if req.ID != builtinRulesID {
		resp.Diagnostics.AddError("Unexpected Import ID",
			fmt.Sprintf("A Confluence has one built-in rule policy, imported with the id %q; got %q. "+
				"Run: terraform import <address> %s", builtinRulesID, req.ID, builtinRulesID))
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), builtinRulesID)...)
}

// apply writes the rules whose state differs from the plan, then reads the
// policy back from the server rather than trusting the plan.
func (r *builtinRulesResource) apply(ctx context.Context, plan builtinRulesModel) (*builtinRulesModel, diag.Diagnostics) {
	var diags diag.Diagnostics
	wanted := map[string]bool{}
	diags.Append(addSetNames(ctx, plan.EnabledRules, true, wanted)...)
	diags.Append(addSetNames(ctx, plan.DisabledRules, false, wanted)...)
	if diags.HasError() {
		return nil, diags
	}

	// The plan of this same command filled the cache moments ago, so the
	// comparison costs no request of its own.
	rules, err := r.data.reads.Rules(ctx)
	if err != nil {
		diags.Append(clientErrorDiagnostic("Apply Built-In Rule Policy Error", "list the scanning rules", err))
		return nil, diags
	}
	diags.Append(r.writeDifferences(ctx, rules, wanted)...)
	if diags.HasError() {
		return nil, diags
	}

	rules, err = r.data.reads.Rules(ctx)
	if err != nil {
		diags.Append(clientErrorDiagnostic("Apply Built-In Rule Policy Error", "read the scanning rules back", err))
		return nil, diags
	}
	return policyFromRules(rules), diags
}

// writeDifferences sends one PUT per built-in rule whose state differs from
// wanted, and leaves rules that wanted does not name alone.
func (r *builtinRulesResource) writeDifferences(ctx context.Context, rules []client.Rule, wanted map[string]bool) diag.Diagnostics {
	var diags diag.Diagnostics
	changed := false
	for _, rule := range rules {
		enable, named := wanted[rule.Name]
		if !rule.BuiltIn || !named || rule.Enabled == enable {
			continue
		}
		tflog.Debug(ctx, "Setting built-in rule", map[string]any{"rule_name": rule.Name, "enabled": enable})
		_, err := r.data.client.SetBuiltInRuleEnabled(ctx, rule.Name, enable)
		changed = true
		if err != nil {
			diags.Append(clientErrorDiagnostic("Set Built-In Rule Error",
				fmt.Sprintf("set the built-in rule %s to enabled=%t", rule.Name, enable), err))
			break
		}
	}
	if changed {
		r.data.reads.InvalidateRules()
	}
	return diags
}

// policyFromRules is the policy as the server has it.
func policyFromRules(rules []client.Rule) *builtinRulesModel {
	builtIns := builtInRuleNames(rules)
	enabled := map[string]bool{}
	for _, rule := range rules {
		enabled[rule.Name] = rule.Enabled
	}
	model := &builtinRulesModel{
		ID:       types.StringValue(builtinRulesID),
		AllRules: stringSet(builtIns),
	}
	model.EnabledRules, model.DisabledRules = splitByState(builtIns, enabled)
	return model
}

// desiredRuleStates says, for every built-in rule, whether the configuration
// wants it enabled. The list that is written decides the fate of every rule it
// does not name, new ones included. known is false while the list is unknown.
func desiredRuleStates(ctx context.Context, config builtinRulesModel, builtIns []string) (map[string]bool, bool) {
	allowList := !config.EnabledRules.IsNull()
	listed := config.DisabledRules
	if allowList {
		listed = config.EnabledRules
	}
	if !setFullyKnown(listed) {
		return nil, false
	}

	names := map[string]bool{}
	if diags := addSetNames(ctx, listed, true, names); diags.HasError() {
		return nil, false
	}
	enabled := map[string]bool{}
	for _, name := range builtIns {
		enabled[name] = names[name] == allowList
	}
	return enabled, true
}

// warnNewBuiltInRules names the built-in rules the server lists now but did
// not list when the policy was last applied, and says what apply will do.
func warnNewBuiltInRules(ctx context.Context, lastApplied types.Set, builtIns []string, config builtinRulesModel) diag.Diagnostics {
	var diags diag.Diagnostics
	if lastApplied.IsNull() || lastApplied.IsUnknown() {
		return diags
	}
	known := map[string]bool{}
	diags.Append(addSetNames(ctx, lastApplied, true, known)...)

	var added []string
	for _, name := range builtIns {
		if !known[name] {
			added = append(added, name)
		}
	}
	if len(added) == 0 {
		return diags
	}

	outcome := "enabled, because the policy lists disabled_rules; add them to disabled_rules to keep them off"
	if !config.EnabledRules.IsNull() {
		outcome = "disabled, because the policy lists enabled_rules; add them to enabled_rules to turn them on"
	}
	diags.AddAttributeWarning(path.Root("all_rules"), "New Built-In Scanning Rules",
		fmt.Sprintf("The server lists built-in rules that did not exist when this policy was last applied: %s. "+
			"The next apply leaves them %s.", strings.Join(added, ", "), outcome))
	return diags
}

// checkPolicyRuleNames refuses names the server does not list as built-in
// rules, suggesting the closest names, and explains custom rules apart.
func checkPolicyRuleNames(config builtinRulesModel, rules []client.Rule) diag.Diagnostics {
	var diags diag.Diagnostics
	for _, attribute := range []struct {
		name  string
		value types.Set
	}{{"disabled_rules", config.DisabledRules}, {"enabled_rules", config.EnabledRules}} {
		if attribute.value.IsNull() || attribute.value.IsUnknown() {
			continue
		}
		for _, element := range attribute.value.Elements() {
			name, ok := element.(types.String)
			if !ok || name.IsUnknown() || name.IsNull() {
				continue
			}
			if problem := ruleNameProblem(rules, path.Root(attribute.name), name.ValueString(), true); problem != nil {
				diags.Append(problem)
			}
		}
	}
	return diags
}

func builtInRuleNames(rules []client.Rule) []string {
	var names []string
	for _, rule := range rules {
		if rule.BuiltIn {
			names = append(names, rule.Name)
		}
	}
	return names
}

// splitByState returns the enabled and the disabled names, each sorted.
func splitByState(names []string, enabled map[string]bool) (types.Set, types.Set) {
	var on, off []string
	for _, name := range names {
		if enabled[name] {
			on = append(on, name)
		} else {
			off = append(off, name)
		}
	}
	return stringSet(on), stringSet(off)
}

// stringSet is never null, so that an empty list reads back as the empty
// set a configuration writes as [].
func stringSet(names []string) types.Set {
	sorted := slices.Sorted(slices.Values(names))
	elements := make([]attr.Value, 0, len(sorted))
	for _, name := range sorted {
		elements = append(elements, types.StringValue(name))
	}
	return types.SetValueMust(types.StringType, elements)
}

func setFullyKnown(set types.Set) bool {
	if set.IsUnknown() {
		return false
	}
	for _, element := range set.Elements() {
		if element.IsUnknown() {
			return false
		}
	}
	return true
}

// addSetNames records value for every known name in set.
func addSetNames(ctx context.Context, set types.Set, value bool, into map[string]bool) diag.Diagnostics {
	if set.IsNull() || set.IsUnknown() {
		return nil
	}
	var names []string
	diags := set.ElementsAs(ctx, &names, false)
	for _, name := range names {
		into[name] = value
	}
	return diags
}
