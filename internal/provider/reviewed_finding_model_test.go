package provider

import (
	"context"
	"math/big"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// The hand conversion must read and write exactly what the framework's
// reflection does, for known, null and unknown values of every attribute.
func TestReviewedFindingConversionMatchesFramework(t *testing.T) {
	ctx := context.Background()
	schema := reviewedFindingSchema()
	unknownString := tftypes.NewValue(tftypes.String, tftypes.UnknownValue)
	nullString := tftypes.NewValue(tftypes.String, nil)
	str := func(s string) tftypes.Value { return tftypes.NewValue(tftypes.String, s) }

	cases := map[string]map[string]tftypes.Value{
		"known": {
			"id": str("ENG/GITHUB_TOKEN/sha256:ab"), "space_key": str("ENG"), "rule_name": str("GITHUB_TOKEN"),
			"match_text": str("ghp_x"), "match_text_wo": nullString,
			"match_text_wo_version": tftypes.NewValue(tftypes.Number, big.NewFloat(7)),
			"match_text_sha256":     str("ab"),
		},
		"null": {
			"id": nullString, "space_key": nullString, "rule_name": nullString, "match_text": nullString,
			"match_text_wo": nullString, "match_text_wo_version": tftypes.NewValue(tftypes.Number, nil),
			"match_text_sha256": nullString,
		},
		"unknown": {
			"id": unknownString, "space_key": unknownString, "rule_name": unknownString, "match_text": unknownString,
			"match_text_wo": unknownString, "match_text_wo_version": tftypes.NewValue(tftypes.Number, tftypes.UnknownValue),
			"match_text_sha256": unknownString,
		},
		"write-only text, empty strings": {
			"id": str(""), "space_key": str(""), "rule_name": str("R"), "match_text": nullString,
			"match_text_wo": str("secret"), "match_text_wo_version": tftypes.NewValue(tftypes.Number, big.NewFloat(-3)),
			"match_text_sha256": str(""),
		},
	}
	for name, attrs := range cases {
		t.Run(name, func(t *testing.T) {
			raw := tftypes.NewValue(reviewedFindingObjectType(), attrs)

			var want reviewedFindingModel
			if diags := (tfsdk.State{Raw: raw, Schema: schema}).Get(ctx, &want); diags.HasError() {
				t.Fatalf("framework Get: %v", diags)
			}
			got, diags := reviewedFindingFromTerraform(ctx, raw)
			if diags.HasError() {
				t.Fatalf("reviewedFindingFromTerraform: %v", diags)
			}
			if got != want {
				t.Errorf("read %+v, the framework reads %+v", got, want)
			}

			written := tfsdk.State{Schema: schema}
			if diags := got.writeTo(ctx, &written); diags.HasError() {
				t.Fatalf("writeTo: %v", diags)
			}
			viaFramework := tfsdk.State{Schema: schema}
			if diags := viaFramework.Set(ctx, &want); diags.HasError() {
				t.Fatalf("framework Set: %v", diags)
			}
			if !written.Raw.Equal(viaFramework.Raw) {
				t.Errorf("wrote %v, the framework writes %v", written.Raw, viaFramework.Raw)
			}
			if !written.Raw.Equal(raw) {
				t.Errorf("a read and write changed the value: %v became %v", raw, written.Raw)
			}
		})
	}
}

func TestReviewedFindingConversionReportsBadValues(t *testing.T) {
	ctx := context.Background()
	other := tftypes.Object{AttributeTypes: map[string]tftypes.Type{"space_key": tftypes.String}}
	for name, tc := range map[string]struct {
		raw  tftypes.Value
		want string
	}{
		"null object":       {tftypes.NewValue(reviewedFindingObjectType(), nil), "null or unknown reviewed finding"},
		"missing attribute": {tftypes.NewValue(other, map[string]tftypes.Value{"space_key": tftypes.NewValue(tftypes.String, "ENG")}), "found no attribute id"},
		"not an object":     {tftypes.NewValue(tftypes.String, "ENG"), "could not read a reviewed finding's attributes"},
	} {
		t.Run(name, func(t *testing.T) {
			_, diags := reviewedFindingFromTerraform(ctx, tc.raw)
			if !diags.HasError() {
				t.Fatalf("no error for %v", tc.raw)
			}
			summary, detail := diags[0].Summary(), diags[0].Detail()
			if summary != "Value Conversion Error" || !strings.Contains(detail, tc.want) || !strings.Contains(detail, "bug in the provider") {
				t.Errorf("error %q: %q; want %q and a request to report the bug", summary, detail, tc.want)
			}
		})
	}

}

// The space resource's list converts by hand too, and must agree with the
// framework's reflection both ways.
func TestSpaceReviewsConversionMatchesFramework(t *testing.T) {
	ctx := context.Background()
	reviews := []spaceReviewModel{
		{RuleName: types.StringValue("JWT"), MatchText: types.StringValue("eyJ.a.b")},
		{RuleName: types.StringValue("AWS_CLIENT_ID"), MatchText: types.StringUnknown()},
		{RuleName: types.StringNull(), MatchText: types.StringValue("")},
	}
	want, diags := types.ListValueFrom(ctx, spaceReviewObjectType, reviews)
	if diags.HasError() {
		t.Fatal(diags)
	}
	got, diags := reviewsToList(ctx, reviews)
	if diags.HasError() || !got.Equal(want) {
		t.Fatalf("reviewsToList = %v, %v; the framework builds %v", got, diags, want)
	}

	var viaFramework []spaceReviewModel
	if diags := want.ElementsAs(ctx, &viaFramework, false); diags.HasError() {
		t.Fatal(diags)
	}
	read, diags := reviewsFromList(ctx, want)
	if diags.HasError() || len(read) != len(viaFramework) {
		t.Fatalf("reviewsFromList = %v, %v; the framework reads %v", read, diags, viaFramework)
	}
	for i := range read {
		if read[i] != viaFramework[i] {
			t.Errorf("entry %d: read %+v, the framework reads %+v", i, read[i], viaFramework[i])
		}
	}

	empty, diags := reviewsToList(ctx, nil)
	if diags.HasError() || empty.IsNull() || len(empty.Elements()) != 0 {
		t.Errorf("no reviews became %v, %v; want an empty, non-null list", empty, diags)
	}
	if read, _ := reviewsFromList(ctx, types.ListUnknown(spaceReviewObjectType)); read != nil {
		t.Errorf("an unknown list read as %v", read)
	}
	nullElement := types.ListValueMust(spaceReviewObjectType, []attr.Value{types.ObjectNull(spaceReviewAttrTypes)})
	_, diags = reviewsFromList(ctx, nullElement)
	if !diags.HasError() || diags[0].Summary() != "Invalid Review" ||
		!strings.Contains(diags[0].Detail(), "Entry 0 of reviews is null or not yet known") {
		t.Errorf("a null entry read as %v; want Invalid Review naming entry 0", diags)
	}
}
