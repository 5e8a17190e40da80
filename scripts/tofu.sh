#!/usr/bin/env bash
# Prints the absolute path of the OpenTofu CLI that the tests run: $TOFU when set,
# else bin/tofu, built from the pin in tools/tofu when it is missing or stale. A tofu
# on PATH is not picked up, so every machine tests the same pinned release unless asked.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
pinned_bin=$root/bin/tofu

if [[ -n ${TOFU:-} ]]; then
	if ! found=$(command -v -- "$TOFU"); then
		echo "TOFU is set to \"$TOFU\", which is not an executable file; set it to an OpenTofu binary, or unset it." >&2
		exit 1
	fi
	case $found in
	/*) printf '%s\n' "$found" ;;
	*) printf '%s/%s\n' "$PWD" "$found" ;;
	esac
	exit 0
fi

if [[ ! -x $pinned_bin || $root/tools/tofu/go.mod -nt $pinned_bin || $root/tools/tofu/go.sum -nt $pinned_bin ]]; then
	"$root/scripts/build-cli.sh" tofu
fi
printf '%s\n' "$pinned_bin"
