package provider

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

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

var (
	_ resource.Resource                   = (*spaceReviewedFindingsResource)(nil)
	_ resource.ResourceWithConfigure      = (*spaceReviewedFindingsResource)(nil)
	_ resource.ResourceWithValidateConfig = (*spaceReviewedFindingsResource)(nil)
	_ resource.ResourceWithModifyPlan     = (*spaceReviewedFindingsResource)(nil)
	_ resource.ResourceWithImportState    = (*spaceReviewedFindingsResource)(nil)
)

func newSpaceReviewedFindingsResource() resource.Resource {
	return &spaceReviewedFindingsResource{}
}

type spaceReviewedFindingsResource struct {
	data *providerData
}

type spaceReviewedFindingsModel struct {
	ID       types.String `tfsdk:"id"`
	SpaceKey types.String `tfsdk:"space_key"`
	Reviews  types.List   `tfsdk:"reviews"`
}

type spaceReviewModel struct {
	RuleName  types.String `tfsdk:"rule_name"`
	MatchText types.String `tfsdk:"match_text"`
}

// reviews is a list, not a set, although order means nothing to the server:
// the framework logs attribute paths at TRACE, and the path of a set element
// is the element's value, match text included. A list element's path is its
// index.
var pathReviews = path.Root("reviews")

func (r *spaceReviewedFindingsResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_space_reviewed_findings"
}

func (r *spaceReviewedFindingsResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = spaceReviewedFindingsSchema()
}

func (r *spaceReviewedFindingsResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

// ValidateConfig rejects empty texts and a text given twice: the server keys
// a review by its text alone, so two rules cannot both own one text.
func (r *spaceReviewedFindingsResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var config spaceReviewedFindingsModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if resp.Diagnostics.HasError() || config.Reviews.IsUnknown() || config.Reviews.IsNull() {
		return
	}
	reviews, diags := reviewsFromList(ctx, config.Reviews)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}

	// Entries are named by index: with thousands of reviews from a file,
	// the index is what finds them, and the text must not be quoted.
	firstByText := map[string]int{}
	for i, review := range reviews {
		if review.MatchText.IsUnknown() || review.MatchText.IsNull() {
			continue
		}
		at := pathReviews.AtListIndex(i).AtName("match_text")
		text := review.MatchText.ValueString()
		if text == "" {
			resp.Diagnostics.AddAttributeError(at, "Empty Match Text",
				fmt.Sprintf("Entry %d of reviews (rule %s) has an empty match_text. A review marks one exact, "+
					"non-empty text as a false positive: set it to the text exactly as the rule captured it.",
					i, describeRuleName(review.RuleName)))
			continue
		}
		if first, seen := firstByText[text]; seen {
			resp.Diagnostics.AddAttributeError(at, "Duplicate Match Text",
				fmt.Sprintf("Entries %d (rule %s) and %d (rule %s) of reviews have the same match_text. A review covers a "+
					"text whichever rule found it, so each text can be listed once only: keep one of the two entries.",
					first, describeRuleName(reviews[first].RuleName), i, describeRuleName(review.RuleName)))
			continue
		}
		firstByText[text] = i
	}
}

// describeRuleName quotes a rule name for a message, or says it is not
// known yet.
func describeRuleName(name types.String) string {
	if name.IsUnknown() {
		return "not yet known"
	}
	return fmt.Sprintf("%q", name.ValueString())
}

// ModifyPlan checks the space and every rule name before anything is
// written; it is skipped while values are unknown or the provider has no
// client yet.
func (r *spaceReviewedFindingsResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() || r.data == nil || r.data.client == nil {
		return
	}
	var plan spaceReviewedFindingsModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if req.State.Raw.IsNull() {
		resp.Diagnostics.Append(checkSpaceExists(ctx, r.data, pathSpaceKey, plan.SpaceKey)...)
	}
	if plan.Reviews.IsUnknown() || plan.Reviews.IsNull() {
		return
	}
	reviews, diags := reviewsFromList(ctx, plan.Reviews)
	resp.Diagnostics.Append(diags...)
	for _, i := range firstOfEachRuleName(reviews) {
		at := pathReviews.AtListIndex(i).AtName("rule_name")
		resp.Diagnostics.Append(checkRuleName(ctx, r.data, at, reviews[i].RuleName, false)...)
	}
}

// firstOfEachRuleName returns the index of the first entry of each known
// rule name, so each name is checked once and an error points at an entry.
func firstOfEachRuleName(reviews []spaceReviewModel) []int {
	seen := map[string]bool{}
	var first []int
	for i, review := range reviews {
		if review.RuleName.IsUnknown() || review.RuleName.IsNull() || seen[review.RuleName.ValueString()] {
			continue
		}
		seen[review.RuleName.ValueString()] = true
		first = append(first, i)
	}
	return first
}

func (r *spaceReviewedFindingsResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan spaceReviewedFindingsModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() || !requireClient(r.data, &resp.Diagnostics, "set the reviews of a space") {
		return
	}
	resp.Diagnostics.Append(r.apply(ctx, plan, nil)...)
	if resp.Diagnostics.HasError() {
		return
	}
	plan.ID = plan.SpaceKey
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

// Read reports reviews added outside Terraform, so a plan shows them being
// removed, and drops reviews someone removed, so a plan shows them being
// added back. A review whose text no content holds any more cannot be seen
// and is kept as it is.
func (r *spaceReviewedFindingsResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state spaceReviewedFindingsModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() || !requireClient(r.data, &resp.Diagnostics, "read the reviews of a space") {
		return
	}

	known, diags := reviewsFromList(ctx, state.Reviews)
	resp.Diagnostics.Append(diags...)
	spaceKey := state.SpaceKey.ValueString()
	findings, gone, listDiags := listSpaceFindings(ctx, r.data, spaceKey, "read its reviews")
	resp.Diagnostics.Append(listDiags...)
	if resp.Diagnostics.HasError() {
		return
	}
	if gone {
		resp.State.RemoveResource(ctx)
		return
	}

	reviews, setDiags := reviewsToList(ctx, reconcileReviews(known, findings))
	resp.Diagnostics.Append(setDiags...)
	state.Reviews = reviews
	state.ID = state.SpaceKey
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

// reconcileReviews merges what state knows with what the listing shows.
func reconcileReviews(known []spaceReviewModel, findings []client.Finding) []spaceReviewModel {
	listed := map[string]bool{}
	reviewedRule := map[string]string{}
	var reviewedOrder []string
	for _, finding := range findings {
		listed[finding.MatchText] = true
		if _, seen := reviewedRule[finding.MatchText]; finding.Reviewed && !seen {
			reviewedRule[finding.MatchText] = finding.RuleName
			reviewedOrder = append(reviewedOrder, finding.MatchText)
		}
	}

	result := make([]spaceReviewModel, 0, len(known)+len(reviewedOrder))
	inState := map[string]bool{}
	for _, review := range known {
		text := review.MatchText.ValueString()
		_, reviewed := reviewedRule[text]
		if listed[text] && !reviewed {
			continue
		}
		inState[text] = true
		result = append(result, review)
	}
	var discovered []spaceReviewModel
	for _, text := range reviewedOrder {
		if !inState[text] {
			discovered = append(discovered, spaceReviewModel{
				RuleName:  types.StringValue(reviewedRule[text]),
				MatchText: types.StringValue(text),
			})
		}
	}
	// Known entries keep their place so a plan shows no reordering; the
	// server keeps no order, so new ones come sorted, which is the order a
	// configuration has to use for an empty plan after import.
	slices.SortFunc(discovered, func(a, b spaceReviewModel) int {
		return cmp.Or(strings.Compare(a.RuleName.ValueString(), b.RuleName.ValueString()),
			strings.Compare(a.MatchText.ValueString(), b.MatchText.ValueString()))
	})
	return append(result, discovered...)
}

func (r *spaceReviewedFindingsResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state spaceReviewedFindingsModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() || !requireClient(r.data, &resp.Diagnostics, "set the reviews of a space") {
		return
	}
	prior, diags := reviewsFromList(ctx, state.Reviews)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(r.apply(ctx, plan, prior)...)
	if resp.Diagnostics.HasError() {
		return
	}
	plan.ID = plan.SpaceKey
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

// Delete removes every review of the space, the ones Terraform cannot see
// included: this resource owns them all.
func (r *spaceReviewedFindingsResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state spaceReviewedFindingsModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() || !requireClient(r.data, &resp.Diagnostics, "delete the reviews of a space") {
		return
	}
	resp.Diagnostics.Append(r.deleteAll(ctx, state.SpaceKey.ValueString())...)
}

// apply makes the space's reviews equal the planned list: an empty list clears
// the space in one call; otherwise missing reviews are created and visible
// or previously managed ones outside the list are removed.
func (r *spaceReviewedFindingsResource) apply(ctx context.Context, plan spaceReviewedFindingsModel, prior []spaceReviewModel) diag.Diagnostics {
	spaceKey := plan.SpaceKey.ValueString()
	desired, diags := reviewsFromList(ctx, plan.Reviews)
	if diags.HasError() {
		return diags
	}
	if len(desired) == 0 {
		return r.deleteAll(ctx, spaceKey)
	}
	// A refusal of one text may quote another of this resource.
	ctx = client.WithSecrets(ctx, reviewTexts(desired, prior)...)

	// Another process may have changed the space since this one listed it.
	r.data.reads.InvalidateSpace(spaceKey)
	findings, _, listDiags := listSpaceFindings(ctx, r.data, spaceKey, "compare its reviews with the configuration")
	diags.Append(listDiags...)
	if diags.HasError() {
		return diags
	}
	defer r.data.reads.InvalidateSpace(spaceKey)
	// A refusal may also quote texts the space lists that this resource
	// does not hold.
	listed := make([]string, 0, len(findings))
	for _, finding := range findings {
		listed = append(listed, finding.MatchText)
	}
	ctx = client.WithSecrets(ctx, listed...)

	reviewed := reviewedTexts(findings)
	wanted := map[string]bool{}
	for _, review := range desired {
		text := review.MatchText.ValueString()
		wanted[text] = true
		if reviewed[text] {
			continue
		}
		if err := r.data.client.CreateReview(ctx, spaceKey, review.RuleName.ValueString(), text); err != nil {
			diags.Append(clientErrorDiagnostic("Create Review Error",
				fmt.Sprintf("mark a match text of rule %q as reviewed in space %q", review.RuleName.ValueString(), spaceKey), err))
			return diags
		}
	}
	for _, text := range unwantedTexts(reviewed, prior, wanted) {
		if err := r.data.client.DeleteReview(ctx, spaceKey, text); err != nil && !errors.Is(err, client.ErrNotFound) {
			diags.Append(clientErrorDiagnostic("Delete Review Error",
				fmt.Sprintf("remove a review that is not in the configuration from space %q", spaceKey), err))
			return diags
		}
	}
	return diags
}

func reviewTexts(lists ...[]spaceReviewModel) []string {
	var texts []string
	for _, list := range lists {
		for _, review := range list {
			texts = append(texts, review.MatchText.ValueString())
		}
	}
	return texts
}

func reviewedTexts(findings []client.Finding) map[string]bool {
	reviewed := map[string]bool{}
	for _, finding := range findings {
		if finding.Reviewed {
			reviewed[finding.MatchText] = true
		}
	}
	return reviewed
}

// unwantedTexts lists visible reviews and formerly managed ones that the
// configuration no longer holds, each once.
func unwantedTexts(reviewed map[string]bool, prior []spaceReviewModel, wanted map[string]bool) []string {
	var texts []string
	seen := map[string]bool{}
	add := func(text string) {
		if !wanted[text] && !seen[text] {
			seen[text] = true
			texts = append(texts, text)
		}
	}
	for _, review := range prior {
		add(review.MatchText.ValueString())
	}
	for text := range reviewed {
		add(text)
	}
	return texts
}

func (r *spaceReviewedFindingsResource) deleteAll(ctx context.Context, spaceKey string) diag.Diagnostics {
	var diags diag.Diagnostics
	deleted, err := r.data.client.DeleteAllReviews(ctx, spaceKey)
	r.data.reads.InvalidateSpace(spaceKey)
	switch {
	case errors.Is(err, client.ErrNotFound):
		tflog.Info(ctx, "The space no longer exists; there are no reviews to delete", map[string]any{"space_key": spaceKey})
	case err != nil:
		diags.Append(clientErrorDiagnostic("Delete All Reviews Error",
			fmt.Sprintf("delete every review of space %q", spaceKey), err))
	default:
		tflog.Debug(ctx, "Deleted every review of the space", map[string]any{"space_key": spaceKey, "deleted": deleted})
	}
	return diags
}

// ImportState takes the space key as it is; Read then fills in every review
// the space lists as reviewed.
func (r *spaceReviewedFindingsResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	if req.ID == "" {
		resp.Diagnostics.AddError("Invalid Import ID", "The import id is empty. Import with the space key, for example ENG or ~jdoe.")
		return
	}
	// Asked here, because Read would drop a missing space and leave only
	// Terraform's generic "non-existent remote object".
	if !requireClient(r.data, &resp.Diagnostics, "import the reviews of a space") {
		return
	}
	if _, err := r.data.reads.Space(ctx, req.ID); errors.Is(err, client.ErrNotFound) {
		resp.Diagnostics.AddError("Space Not Found",
			fmt.Sprintf("The import id is %q, but Confluence has no space with that key that the provider's user "+
				"can see. Space keys are case-sensitive, so check that the key has the right case and no extra "+
				"spaces; a personal space's key is \"~\" followed by the username. Also check that the user may "+
				"view the space.", req.ID))
		return
	}
	empty, diags := reviewsToList(ctx, nil)
	resp.Diagnostics.Append(diags...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &spaceReviewedFindingsModel{
		ID:       types.StringValue(req.ID),
		SpaceKey: types.StringValue(req.ID),
		Reviews:  empty,
	})...)
}

var spaceReviewAttrTypes = map[string]attr.Type{
	"rule_name":  types.StringType,
	"match_text": types.StringType,
}

var spaceReviewObjectType = types.ObjectType{AttrTypes: spaceReviewAttrTypes}

// reviewsFromList and reviewsToList convert the list element by element
// rather than through the framework's reflection, which compiles a regular
// expression per field of every element.
func reviewsFromList(_ context.Context, list types.List) ([]spaceReviewModel, diag.Diagnostics) {
	var diags diag.Diagnostics
	if list.IsNull() || list.IsUnknown() {
		return nil, diags
	}
	elements := list.Elements()
	reviews := make([]spaceReviewModel, 0, len(elements))
	for i, element := range elements {
		object, ok := element.(types.Object)
		if !ok || object.IsNull() || object.IsUnknown() {
			diags.AddAttributeError(pathReviews.AtListIndex(i), "Invalid Review",
				fmt.Sprintf("Entry %d of reviews is null or not yet known. Each entry must be an object with rule_name and match_text.", i))
			continue
		}
		attributes := object.Attributes()
		ruleName, ruleOK := attributes["rule_name"].(types.String)
		matchText, textOK := attributes["match_text"].(types.String)
		if !ruleOK || !textOK {
			diags.AddAttributeError(pathReviews.AtListIndex(i), "Invalid Review",
				fmt.Sprintf("Entry %d of reviews lacks rule_name or match_text. This is a bug in the provider; please report it.", i))
			continue
		}
		reviews = append(reviews, spaceReviewModel{RuleName: ruleName, MatchText: matchText})
	}
	return reviews, diags
}

func reviewsToList(_ context.Context, reviews []spaceReviewModel) (types.List, diag.Diagnostics) {
	var diags diag.Diagnostics
	elements := make([]attr.Value, 0, len(reviews))
	for _, review := range reviews {
		object, objectDiags := types.ObjectValue(spaceReviewAttrTypes, map[string]attr.Value{
			"rule_name":  review.RuleName,
			"match_text": review.MatchText,
		})
		diags.Append(objectDiags...)
		elements = append(elements, object)
	}
	if diags.HasError() {
		return types.ListNull(spaceReviewObjectType), diags
	}
	list, listDiags := types.ListValue(spaceReviewObjectType, elements)
	diags.Append(listDiags...)
	return list, diags
}

func spaceReviewedFindingsSchema() schema.Schema {
	return schema.Schema{
		MarkdownDescription: spaceReviewedFindingsDescription,
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "The space key; also the import id.",
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"space_key": schema.StringAttribute{
				Required: true,
				MarkdownDescription: "Key of the space whose reviews this resource owns, case-sensitive (`ENG`, or `~jdoe` for a " +
					"personal space). Changing it replaces the resource, which removes every review of the old space.",
				Validators:    []validator.String{stringvalidator.LengthAtLeast(1)},
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"reviews": schema.ListNestedAttribute{
				Required:  true,
				Sensitive: true,
				MarkdownDescription: "Every review the space should have. Reviews the space lists that are not here are removed " +
					"on apply. An empty list removes all reviews of the space. The order means nothing to the server: reordering " +
					"the list shows an in-place update that changes no review, and reviews found by import or as drift are " +
					"listed sorted by `rule_name` and then `match_text`. The whole list is sensitive, because Terraform's cost of " +
					"a separate mark on each text grows with the square of the list's length.",
				NestedObject: schema.NestedAttributeObject{
					Attributes: map[string]schema.Attribute{
						"rule_name": schema.StringAttribute{
							Required:            true,
							MarkdownDescription: "Name of the rule that found the text, exactly as the server lists it.",
							Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
						},
						"match_text": schema.StringAttribute{
							Required: true,
							MarkdownDescription: "The exact text the rule captured, byte for byte. Sensitive with the rest of " +
								"`reviews`. Stored in state: use a state backend that encrypts at rest.",
						},
					},
				},
			},
		},
	}
}

const spaceReviewedFindingsDescription = "Owns every reviewed false positive of one space: the space's reviews are " +
	"exactly those listed in `reviews`. A review added in the Security Analysis shows in the next plan as drift and is removed " +
	"on apply; a review removed there is added back. Destroying the resource, or an empty `reviews` list, deletes all " +
	"reviews of the space, including ones whose text no content holds any more.\n\n" +
	"**Do not combine it with `securityforconfluence_reviewed_finding` for the same space**: the two fight, each " +
	"removing or re-adding what the other manages on every apply.\n\n" +
	"The state holds every match text of the space's reviews. Keep state in a backend that encrypts at rest and " +
	"restrict who can read it."
