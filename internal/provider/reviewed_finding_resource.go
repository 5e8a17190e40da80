package provider

import (
	"context"
	"errors"
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

	"github.com/secconf/terraform-provider-securityforconfluence/internal/client"
)

var (
	_ resource.Resource                   = (*reviewedFindingResource)(nil)
	_ resource.ResourceWithConfigure      = (*reviewedFindingResource)(nil)
	_ resource.ResourceWithValidateConfig = (*reviewedFindingResource)(nil)
	_ resource.ResourceWithModifyPlan     = (*reviewedFindingResource)(nil)
	_ resource.ResourceWithImportState    = (*reviewedFindingResource)(nil)
)

func newReviewedFindingResource() resource.Resource {
	return &reviewedFindingResource{}
}

type reviewedFindingResource struct {
	data *providerData
}

type reviewedFindingModel struct {
	ID                 types.String `tfsdk:"id"`
	SpaceKey           types.String `tfsdk:"space_key"`
	RuleName           types.String `tfsdk:"rule_name"`
	MatchText          types.String `tfsdk:"match_text"`
	MatchTextWO        types.String `tfsdk:"match_text_wo"`
	MatchTextWOVersion types.Int64  `tfsdk:"match_text_wo_version"`
	MatchTextSHA256    types.String `tfsdk:"match_text_sha256"`
}

var (
	pathSpaceKey           = path.Root("space_key")
	pathRuleName           = path.Root("rule_name")
	pathMatchText          = path.Root("match_text")
	pathMatchTextWO        = path.Root("match_text_wo")
	pathMatchTextWOVersion = path.Root("match_text_wo_version")
)

func (r *reviewedFindingResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_reviewed_finding"
}

func (r *reviewedFindingResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = reviewedFindingSchema()
}

func (r *reviewedFindingResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

// ValidateConfig checks what needs no server. Its messages name fields and
// never quote a match text.
func (r *reviewedFindingResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	config, diags := reviewedFindingFromTerraform(ctx, req.Config.Raw)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(validateMatchTextChoice(config)...)
}

func validateMatchTextChoice(config reviewedFindingModel) diag.Diagnostics {
	var diags diag.Diagnostics
	plain, writeOnly := config.MatchText, config.MatchTextWO
	if plain.IsUnknown() || writeOnly.IsUnknown() {
		return diags
	}
	switch {
	case plain.IsNull() && writeOnly.IsNull():
		diags.AddAttributeError(pathMatchText, "Missing Match Text",
			"Exactly one of match_text or match_text_wo must be set, and neither is. "+
				"Set match_text, or match_text_wo on Terraform 1.11 or later to keep the text out of state.")
	case !plain.IsNull() && !writeOnly.IsNull():
		diags.AddAttributeError(pathMatchTextWO, "Conflicting Match Text",
			"Exactly one of match_text or match_text_wo must be set, and both are. Remove one of them.")
	case !plain.IsNull() && plain.ValueString() == "":
		diags.Append(emptyMatchTextDiagnostic(pathMatchText))
	case !writeOnly.IsNull() && writeOnly.ValueString() == "":
		diags.Append(emptyMatchTextDiagnostic(pathMatchTextWO))
	}
	if writeOnly.IsNull() && !plain.IsNull() && !config.MatchTextWOVersion.IsNull() {
		diags.AddAttributeError(pathMatchTextWOVersion, "Version Without Write-Only Text",
			"match_text_wo_version only triggers replacement of a text given in match_text_wo, "+
				"and match_text_wo is not set. Remove match_text_wo_version or move the text to match_text_wo.")
	}
	return diags
}

func emptyMatchTextDiagnostic(attr path.Path) diag.Diagnostic {
	return diag.NewAttributeErrorDiagnostic(attr, "Empty Match Text",
		fmt.Sprintf("%s is empty. A review marks one exact, non-empty text as a false positive: "+
			"set it to the text exactly as the rule captured it, as listed by the space's findings.", attributeName(attr)))
}

// ModifyPlan fills in the id and hash so a plan shows them, decides
// replacement from the text's hash (which also covers match_text_wo, whose
// value never reaches state), and checks the space and rule against the
// server before anything is created.
func (r *reviewedFindingResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		return
	}
	config, diags := reviewedFindingFromTerraform(ctx, req.Config.Raw)
	resp.Diagnostics.Append(diags...)
	plan, diags := reviewedFindingFromTerraform(ctx, req.Plan.Raw)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}

	var state *reviewedFindingModel
	if !req.State.Raw.IsNull() {
		prior, diags := reviewedFindingFromTerraform(ctx, req.State.Raw)
		resp.Diagnostics.Append(diags...)
		if resp.Diagnostics.HasError() {
			return
		}
		state = &prior
	}

	replace := planReviewedFindingHash(config, state, &plan, resp)
	resp.Diagnostics.Append(plan.writeTo(ctx, &resp.Plan)...)
	if state == nil || replace {
		resp.Diagnostics.Append(r.checkTarget(ctx, plan)...)
	}
}

// planReviewedFindingHash sets the planned hash and id, adds replacement
// paths, and reports whether the review is planned to be (re)created.
func planReviewedFindingHash(config reviewedFindingModel, state *reviewedFindingModel, plan *reviewedFindingModel, resp *resource.ModifyPlanResponse) bool {
	configHash, textPath := configuredTextHash(config)

	replace := state == nil
	if state != nil {
		replace = plannedReplacement(config, *state, *plan, configHash, textPath, resp)
	}
	switch {
	case replace:
		plan.MatchTextSHA256 = configHash
	default:
		plan.MatchTextSHA256 = state.MatchTextSHA256
	}
	plan.ID = plannedID(*plan)
	return replace
}

// configuredTextHash hashes whichever text the configuration sets, returning
// unknown while it is unknown, and the path of the attribute that holds it.
func configuredTextHash(config reviewedFindingModel) (types.String, path.Path) {
	for _, candidate := range []struct {
		value types.String
		at    path.Path
	}{{config.MatchText, pathMatchText}, {config.MatchTextWO, pathMatchTextWO}} {
		switch {
		case candidate.value.IsUnknown():
			return types.StringUnknown(), candidate.at
		case !candidate.value.IsNull():
			return types.StringValue(matchTextSHA256(candidate.value.ValueString())), candidate.at
		}
	}
	return types.StringUnknown(), pathMatchText
}

func plannedReplacement(config, state, plan reviewedFindingModel, configHash types.String, textPath path.Path, resp *resource.ModifyPlanResponse) bool {
	replace := !plan.SpaceKey.Equal(state.SpaceKey) || !plan.RuleName.Equal(state.RuleName)
	// A write-only text that is unknown cannot be compared; its version is
	// then the only signal, as for any write-only argument.
	textUnknown := configHash.IsUnknown() && (!textPath.Equal(pathMatchTextWO) || !config.MatchTextWO.IsUnknown())
	if textUnknown || (!configHash.IsUnknown() && !configHash.Equal(state.MatchTextSHA256)) {
		resp.RequiresReplace = append(resp.RequiresReplace, textPath)
		replace = true
	}
	if !state.MatchTextWOVersion.IsNull() && !plan.MatchTextWOVersion.IsNull() &&
		!state.MatchTextWOVersion.Equal(plan.MatchTextWOVersion) {
		resp.RequiresReplace = append(resp.RequiresReplace, pathMatchTextWOVersion)
		replace = true
	}
	return replace
}

func plannedID(plan reviewedFindingModel) types.String {
	if plan.SpaceKey.IsUnknown() || plan.RuleName.IsUnknown() || plan.MatchTextSHA256.IsUnknown() ||
		plan.SpaceKey.IsNull() || plan.RuleName.IsNull() || plan.MatchTextSHA256.IsNull() {
		return types.StringUnknown()
	}
	return types.StringValue(reviewedFindingID{
		SpaceKey:      plan.SpaceKey.ValueString(),
		RuleName:      plan.RuleName.ValueString(),
		MatchTextHash: plan.MatchTextSHA256.ValueString(),
	}.String())
}

// checkTarget asks the server whether the space and the rule exist, so a typo
// fails the plan rather than the apply. It is skipped while values are
// unknown or the provider has no client yet.
func (r *reviewedFindingResource) checkTarget(ctx context.Context, plan reviewedFindingModel) diag.Diagnostics {
	var diags diag.Diagnostics
	if r.data == nil || r.data.client == nil {
		return diags
	}
	diags.Append(checkSpaceExists(ctx, r.data, pathSpaceKey, plan.SpaceKey)...)
	diags.Append(checkRuleName(ctx, r.data, pathRuleName, plan.RuleName, false)...)
	return diags
}

func (r *reviewedFindingResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	plan, diags := reviewedFindingFromTerraform(ctx, req.Plan.Raw)
	resp.Diagnostics.Append(diags...)
	config, diags := reviewedFindingFromTerraform(ctx, req.Config.Raw)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() || !requireClient(r.data, &resp.Diagnostics, "create a review") {
		return
	}

	text := config.MatchText
	if text.IsNull() {
		text = config.MatchTextWO
	}
	spaceKey := plan.SpaceKey.ValueString()
	err := r.data.client.CreateReview(ctx, spaceKey, plan.RuleName.ValueString(), text.ValueString())
	r.data.reads.InvalidateSpace(spaceKey)
	if err != nil {
		resp.Diagnostics.Append(clientErrorDiagnostic("Create Review Error",
			fmt.Sprintf("mark the match text of rule %q as reviewed in space %q", plan.RuleName.ValueString(), spaceKey), err))
		return
	}

	// The state is what was written; listing the space again would cost one
	// listing per review when many are created at once.
	plan.MatchTextSHA256 = types.StringValue(matchTextSHA256(text.ValueString()))
	plan.ID = plannedID(plan)
	resp.Diagnostics.Append(plan.writeTo(ctx, &resp.State)...)
}

// Read can only see a review through the findings it hides: the API lists
// findings, not reviews, and a review outlives the content that held its text.
func (r *reviewedFindingResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	state, diags := reviewedFindingFromTerraform(ctx, req.State.Raw)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() || !requireClient(r.data, &resp.Diagnostics, "read a review") {
		return
	}

	hash := stateTextHash(state)
	spaceKey := state.SpaceKey.ValueString()
	index, gone, diags := spaceFindingsIndex(ctx, r.data, spaceKey, "read the review of rule "+fmt.Sprintf("%q", state.RuleName.ValueString()))
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	if gone {
		resp.State.RemoveResource(ctx)
		return
	}

	switch index.Status(hash) {
	case textListedUnreviewed:
		tflog.Info(ctx, "The match text is listed as not reviewed; the review was removed outside Terraform", map[string]any{
			"space_key": spaceKey, "rule_name": state.RuleName.ValueString(),
		})
		resp.State.RemoveResource(ctx)
		return
	case textNotListed:
		tflog.Debug(ctx, "The match text is not listed in the space; keeping the review in state as it is", map[string]any{
			"space_key": spaceKey, "rule_name": state.RuleName.ValueString(),
		})
	}

	state.MatchTextSHA256 = types.StringValue(hash)
	state.ID = plannedID(state)
	resp.Diagnostics.Append(state.writeTo(ctx, &resp.State)...)
}

// stateTextHash prefers the stored hash, which is all a write-only text
// leaves behind.
func stateTextHash(state reviewedFindingModel) string {
	if !state.MatchTextSHA256.IsNull() && !state.MatchTextSHA256.IsUnknown() && state.MatchTextSHA256.ValueString() != "" {
		return state.MatchTextSHA256.ValueString()
	}
	return matchTextSHA256(state.MatchText.ValueString())
}

// Update runs only when the text moves between match_text and match_text_wo
// without changing, or match_text_wo_version is added or dropped: the review
// on the server stays exactly as it is.
func (r *reviewedFindingResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	plan, diags := reviewedFindingFromTerraform(ctx, req.Plan.Raw)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(plan.writeTo(ctx, &resp.State)...)
}

func (r *reviewedFindingResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	state, diags := reviewedFindingFromTerraform(ctx, req.State.Raw)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() || !requireClient(r.data, &resp.Diagnostics, "delete a review") {
		return
	}

	spaceKey := state.SpaceKey.ValueString()
	text, found, diags := r.textToDelete(ctx, state)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() || !found {
		return
	}

	err := r.data.client.DeleteReview(ctx, spaceKey, text)
	r.data.reads.InvalidateSpace(spaceKey)
	if err != nil && !errors.Is(err, client.ErrNotFound) {
		resp.Diagnostics.Append(clientErrorDiagnostic("Delete Review Error",
			fmt.Sprintf("remove the review of rule %q in space %q", state.RuleName.ValueString(), spaceKey), err))
	}
}

// textToDelete returns the exact text to un-review. With a write-only text
// only its hash is in state, so the text is looked up among the space's
// findings; when it is no longer listed it cannot be named to the server,
// and the review is left in place with a warning.
func (r *reviewedFindingResource) textToDelete(ctx context.Context, state reviewedFindingModel) (string, bool, diag.Diagnostics) {
	if !state.MatchText.IsNull() {
		return state.MatchText.ValueString(), true, nil
	}

	spaceKey := state.SpaceKey.ValueString()
	index, gone, diags := spaceFindingsIndex(ctx, r.data, spaceKey, "find the text of the review to delete")
	if diags.HasError() || gone {
		return "", false, diags
	}
	if text, ok := index.Text("", stateTextHash(state)); ok {
		return text, true, diags
	}
	diags.AddWarning("Review Left on Server",
		fmt.Sprintf("The review of rule %q in space %q was removed from Terraform state, but it stays on the server. "+
			"The text was given in match_text_wo, so state holds only its SHA-256, and the API can un-review a text only by "+
			"its exact value. No finding in the space lists a text with that hash any more, so the text could not be recovered. "+
			"To remove the review, un-review it in the space's Security Analysis, or delete all reviews of the space.",
			state.RuleName.ValueString(), spaceKey))
	return "", false, diags
}

func (r *reviewedFindingResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	if !requireClient(r.data, &resp.Diagnostics, "import a review") {
		return
	}
	var model reviewedFindingModel
	var diags diag.Diagnostics
	if isJSONImportID(req.ID) {
		model, diags = r.importByText(ctx, req.ID)
	} else {
		model, diags = r.importByHash(ctx, req.ID)
	}
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	model.MatchTextWO = types.StringNull()
	model.MatchTextWOVersion = types.Int64Null()
	model.ID = plannedID(model)
	resp.Diagnostics.Append(model.writeTo(ctx, &resp.State)...)
}

func (r *reviewedFindingResource) importByHash(ctx context.Context, raw string) (reviewedFindingModel, diag.Diagnostics) {
	var diags diag.Diagnostics
	id, err := parseReviewedFindingID(raw)
	if err != nil {
		diags.AddError("Invalid Import ID",
			"The import id is neither the documented hash form nor a JSON object: "+err.Error()+". "+
				"Import with \"<space key>/<rule name>/sha256:<hex>\", or from an import block whose id is "+
				"jsonencode({space_key = ..., rule_name = ..., match_text = var.sensitive_text}).")
		return reviewedFindingModel{}, diags
	}

	index, gone, listDiags := spaceFindingsIndex(ctx, r.data, id.SpaceKey, "find the review to import")
	diags.Append(listDiags...)
	if diags.HasError() {
		return reviewedFindingModel{}, diags
	}
	var text string
	ok := false
	if !gone {
		text, ok = index.Text(id.RuleName, id.MatchTextHash)
	}
	if !ok {
		diags.AddError("Reviewed Finding Not Found",
			fmt.Sprintf("No finding of rule %q in space %q has a match text whose SHA-256 is %s, so the review cannot be "+
				"imported by its hash. Check the space key and the rule name (both case-sensitive), and that the hash is "+
				"the SHA-256 of the exact text, for example with sha256(). A review whose text is no longer listed in any "+
				"content can still be imported from an import block with the exact text in a JSON id.",
				id.RuleName, id.SpaceKey, id.MatchTextHash))
		return reviewedFindingModel{}, diags
	}
	diags.Append(requireReviewed(index, id.RuleName, id.SpaceKey, id.MatchTextHash)...)
	return modelFromParts(id.SpaceKey, id.RuleName, text), diags
}

func (r *reviewedFindingResource) importByText(ctx context.Context, raw string) (reviewedFindingModel, diag.Diagnostics) {
	var diags diag.Diagnostics
	parsed, err := parseReviewedFindingImportJSON(raw)
	if err != nil {
		diags.AddError("Invalid Import ID",
			"The import id starts with \"{\" but is not the documented JSON form: "+err.Error()+". "+
				"Build it with jsonencode({space_key = ..., rule_name = ..., match_text = var.sensitive_text}).")
		return reviewedFindingModel{}, diags
	}

	index, gone, listDiags := spaceFindingsIndex(ctx, r.data, parsed.SpaceKey, "check the review to import")
	diags.Append(listDiags...)
	if diags.HasError() {
		return reviewedFindingModel{}, diags
	}
	if gone {
		diags.AddError("Space Not Found",
			fmt.Sprintf("Space %q from the import id does not exist or the provider's user cannot see it. "+
				"Check space_key in the import id; it is case-sensitive.", parsed.SpaceKey))
		return reviewedFindingModel{}, diags
	}
	diags.Append(requireReviewed(index, parsed.RuleName, parsed.SpaceKey, matchTextSHA256(parsed.MatchText))...)
	// A text no longer listed may still be imported, since a review outlives
	// its text, but the rule must exist for the review to mean anything.
	diags.Append(importRuleProblem(ctx, r.data, parsed.RuleName)...)
	return modelFromParts(parsed.SpaceKey, parsed.RuleName, parsed.MatchText), diags
}

// importRuleProblem checks the rule name of an import id, where the error
// has no attribute to point at.
func importRuleProblem(ctx context.Context, data *providerData, ruleName string) diag.Diagnostics {
	var diags diag.Diagnostics
	rules, err := data.reads.Rules(ctx)
	if err != nil {
		diags.Append(clientErrorDiagnostic("List Rules Error", "list the scanning rules to check rule_name of the import id", err))
		return diags
	}
	if problem := ruleNameProblem(rules, path.Root("rule_name"), ruleName, false); problem != nil {
		diags.AddError(problem.Summary(), problem.Detail())
	}
	return diags
}

// requireReviewed refuses to import a text the space lists as not reviewed,
// which would otherwise fail later with Terraform's less specific message.
func requireReviewed(index *findingsIndex, ruleName, spaceKey, hash string) diag.Diagnostics {
	var diags diag.Diagnostics
	if index.Status(hash) == textListedUnreviewed {
		diags.AddError("Finding Not Reviewed",
			fmt.Sprintf("Space %q lists the match text of rule %q, but not as reviewed, so there is no review to import. "+
				"Remove the import and let Terraform create the review instead.", spaceKey, ruleName))
	}
	return diags
}

func modelFromParts(spaceKey, ruleName, matchText string) reviewedFindingModel {
	return reviewedFindingModel{
		SpaceKey:        types.StringValue(spaceKey),
		RuleName:        types.StringValue(ruleName),
		MatchText:       types.StringValue(matchText),
		MatchTextSHA256: types.StringValue(matchTextSHA256(matchText)),
	}
}

// listSpaceFindings lists every finding of a space, reviewed or not, through
// the shared cache. gone reports a space that no longer exists: its reviews
// went with it.
func listSpaceFindings(ctx context.Context, data *providerData, spaceKey, action string) ([]client.Finding, bool, diag.Diagnostics) {
	findings, info, err := data.reads.SpaceListing(ctx, spaceKey, nil)
	gone, diags := spaceListingFailure(ctx, data, spaceKey, action, err)
	if err == nil {
		diags.Append(listingDiagnostics("space "+spaceKey, len(findings), info)...)
	}
	return findings, gone, diags
}

// spaceFindingsIndex is listSpaceFindings for callers that look texts up by
// hash: the cache's shared index, without a copy of the listing.
func spaceFindingsIndex(ctx context.Context, data *providerData, spaceKey, action string) (*findingsIndex, bool, diag.Diagnostics) {
	index, err := data.reads.SpaceIndex(ctx, spaceKey)
	gone, diags := spaceListingFailure(ctx, data, spaceKey, action, err)
	return index, gone, diags
}

// spaceListingFailure explains a failed listing. A 404 of the listing alone
// is not trusted to mean the space is gone, since a missing app answers 404
// too; the space itself is asked.
func spaceListingFailure(ctx context.Context, data *providerData, spaceKey, action string, err error) (bool, diag.Diagnostics) {
	var diags diag.Diagnostics
	if err == nil {
		return false, diags
	}
	if errors.Is(err, client.ErrNotFound) {
		if _, spaceErr := data.reads.Space(ctx, spaceKey); errors.Is(spaceErr, client.ErrNotFound) {
			tflog.Info(ctx, "The space no longer exists; its reviews went with it", map[string]any{"space_key": spaceKey})
			return true, diags
		}
	}
	diags.Append(clientErrorDiagnostic("List Space Findings Error",
		fmt.Sprintf("list the findings of space %q to %s", spaceKey, action), err))
	return false, diags
}

// unsaltedHashWarning is said wherever the hash is shown, since plan output
// and ids are often treated as safe to share.
const unsaltedHashWarning = "The hash is unsalted: for a guessable text, such as an e-mail address or a " +
	"short key, anyone who sees it can confirm a guess offline by hashing candidates. It is safe to show in " +
	"plan output, logs or ids only for high-entropy secrets."

func reviewedFindingSchema() schema.Schema {
	return schema.Schema{
		MarkdownDescription: reviewedFindingDescription,
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Computed: true,
				MarkdownDescription: "`<space key>/<rule name>/sha256:<hex>`: the space key and rule name each percent-encoded " +
					"(everything but letters, digits, `-`, `.`, `_` and `~`), then the SHA-256 of the match text. " +
					"It never contains the text, and it is also the import id. " + unsaltedHashWarning,
			},
			"space_key": schema.StringAttribute{
				Required: true,
				MarkdownDescription: "Key of the space the review applies to, case-sensitive (`ENG`, or `~jdoe` for a personal space). " +
					"A review covers one space only. Changing it replaces the review.",
				Validators:    []validator.String{stringvalidator.LengthAtLeast(1)},
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"rule_name": schema.StringAttribute{
				Required: true,
				MarkdownDescription: "Name of the rule that found the text, exactly as the server lists it (built-in such as " +
					"`AWS_CLIENT_ID`, or a custom rule's name). Checked against the server's rules at plan time. " +
					"Changing it replaces the review.",
				Validators:    []validator.String{stringvalidator.LengthAtLeast(1)},
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"match_text": schema.StringAttribute{
				Optional:  true,
				Sensitive: true,
				MarkdownDescription: "The exact text the rule captured, byte for byte: nothing is trimmed or case-folded. " +
					"It is stored in state; prefer `match_text_wo` on Terraform or OpenTofu 1.11 and later. " +
					"Exactly one of `match_text` and `match_text_wo` must be set. Changing it replaces the review.",
			},
			"match_text_wo": schema.StringAttribute{
				Optional:  true,
				Sensitive: true,
				WriteOnly: true,
				MarkdownDescription: "Write-only form of `match_text` for Terraform or OpenTofu 1.11 and later: the text is sent to " +
					"the server but never stored in state or plan, only its SHA-256 in `match_text_sha256`. A changed text is " +
					"detected through that hash and replaces the review; `match_text_wo_version` forces a replacement too.",
			},
			"match_text_wo_version": schema.Int64Attribute{
				Optional: true,
				MarkdownDescription: "Any number; changing it replaces the review and sends `match_text_wo` again. " +
					"Only valid together with `match_text_wo`.",
			},
			"match_text_sha256": schema.StringAttribute{
				Computed: true,
				MarkdownDescription: "Lowercase hex SHA-256 of the match text. Compare it with `sha256(...)` of a text to " +
					"tell which review this is without reading the text. " + unsaltedHashWarning,
			},
		},
	}
}

const reviewedFindingDescription = "Marks one match text as a reviewed false positive in one space, as " +
	"\"Mark as reviewed\" does in the Security Analysis. A review covers the exact text in every current and future " +
	"scan of the space, whichever page holds it.\n\n" +
	"The API lists findings, not reviews, so a review is only visible through the findings it hides. When the text is " +
	"listed as reviewed, the review exists. When it is listed as not reviewed, someone removed the review, and the next " +
	"plan creates it again. When no content holds the text any more, the review cannot be seen at all; it is kept in " +
	"state as it is, and is neither re-created nor dropped.\n\n" +
	"Do not manage the same space with `securityforconfluence_space_reviewed_findings`: that resource owns every review " +
	"of its space and would remove these."
