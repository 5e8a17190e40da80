#!/usr/bin/env bash
# Builds bin/terraform or bin/tofu from the version pinned in tools/<name>/go.mod.
# Both are compiled from source through the Go module proxy, so nothing comes from
# a release site and go.sum checks every byte; once the module cache is warm the
# build works with no network at all.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
name=${1:?usage: build-cli.sh terraform|tofu}

case $name in
terraform)
	pkg=github.com/hashicorp/terraform
	ldflags="-X github.com/hashicorp/terraform/version.dev=no"
	;;
tofu)
	pkg=github.com/opentofu/opentofu/cmd/tofu
	ldflags="-X github.com/opentofu/opentofu/version.dev=no"
	;;
*)
	echo "build-cli.sh: unknown CLI \"$name\"; expected terraform or tofu." >&2
	exit 2
	;;
esac

pinned=$(sed -n "s|^\t${pkg%/cmd/tofu} \(v[^ ]*\).*|\1|p" "$root/tools/$name/go.mod")
out="$root/bin/$name"

echo "Building $name ${pinned:-?} from source into bin/$name (tools/$name/go.mod)." >&2
echo "The first build takes a few minutes on two cores and about 1.6 GB of memory;" >&2
echo "later runs reuse the binary." >&2

mkdir -p "$root/bin"
start=$SECONDS
# Build to a temporary name so an interrupted build never leaves a half-written CLI behind.
(cd "$root/tools/$name" && go build -o "$out.tmp" -ldflags "$ldflags" "$pkg")
mv -f "$out.tmp" "$out"
echo "Built bin/$name in $((SECONDS - start))s: $(CHECKPOINT_DISABLE=1 TF_CLI_CONFIG_FILE=/dev/null "$out" version | head -n 1)" >&2
