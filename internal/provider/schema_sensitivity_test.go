package provider

import (
	"context"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	dsschema "github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	rschema "github.com/hashicorp/terraform-plugin-framework/resource/schema"
)

// A collection of objects holding secrets is marked one of two ways, each
// chosen on purpose. A mark on each element hides every text even in the
// error message of an expression that iterates the collection, but
// Terraform's work grows with the square of the number of marks. A mark on
// the whole collection is linear, but inside a for expression Terraform sees
// the elements unmarked. The findings data sources hold secrets that may be
// live and are marked per element; space_reviewed_findings holds accepted
// false positives, usually many, and is marked as a whole.
var perElementSensitive = map[string]bool{
	"securityforconfluence_space_findings.findings":   true,
	"securityforconfluence_content_findings.findings": true,
	"securityforconfluence_findings_export.rows":      true,
}

var wholeSensitive = map[string]bool{
	"securityforconfluence_space_reviewed_findings.reviews": true,
}

func TestCollectionSensitivityIsDeliberate(t *testing.T) {
	ctx := context.Background()
	p := New("test")()
	seen := map[string]bool{}
	check := func(collection string, sensitive bool, childSensitive bool) {
		seen[collection] = true
		switch {
		case perElementSensitive[collection] && (sensitive || !childSensitive):
			t.Errorf("%s must mark each element's secret, not the whole collection (sensitive %t, element %t)",
				collection, sensitive, childSensitive)
		case wholeSensitive[collection] && (!sensitive || childSensitive):
			t.Errorf("%s must be sensitive as a whole, with no mark per element (sensitive %t, element %t)",
				collection, sensitive, childSensitive)
		case !perElementSensitive[collection] && !wholeSensitive[collection] && (sensitive || childSensitive):
			t.Errorf("%s holds sensitive values; list it in perElementSensitive or wholeSensitive with the reason", collection)
		}
	}
	for _, newResource := range p.Resources(ctx) {
		r := newResource()
		var meta resource.MetadataResponse
		r.Metadata(ctx, resource.MetadataRequest{ProviderTypeName: TypeName}, &meta)
		var resp resource.SchemaResponse
		r.Schema(ctx, resource.SchemaRequest{}, &resp)
		for name, attribute := range resp.Schema.Attributes {
			if nested, ok := attribute.(rschema.ListNestedAttribute); ok {
				check(meta.TypeName+"."+name, nested.IsSensitive(), anySensitive(nested.NestedObject.Attributes))
			}
		}
	}
	for _, newDataSource := range p.DataSources(ctx) {
		d := newDataSource()
		var meta datasource.MetadataResponse
		d.Metadata(ctx, datasource.MetadataRequest{ProviderTypeName: TypeName}, &meta)
		var resp datasource.SchemaResponse
		d.Schema(ctx, datasource.SchemaRequest{}, &resp)
		for name, attribute := range resp.Schema.Attributes {
			if nested, ok := attribute.(dsschema.ListNestedAttribute); ok {
				check(meta.TypeName+"."+name, nested.IsSensitive(), anySensitive(nested.NestedObject.Attributes))
			}
		}
	}
	for _, listed := range []map[string]bool{perElementSensitive, wholeSensitive} {
		for collection := range listed {
			if !seen[collection] {
				t.Errorf("%s is listed but no schema has it", collection)
			}
		}
	}
}

func anySensitive[A interface{ IsSensitive() bool }](attributes map[string]A) bool {
	for _, attribute := range attributes {
		if attribute.IsSensitive() {
			return true
		}
	}
	return false
}
