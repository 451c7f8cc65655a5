#!/usr/bin/env bash
# Formats the Swift sources with swift-format and the repository's .swift-format configuration.
#
#   Scripts/format.sh           format every file in place
#   Scripts/format.sh --check   change nothing; list the files formatting would change and exit 1
#                               if there are any (what .ci/run runs)
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="/opt/swift/usr/bin:$PATH"
folders=()
for folder in Sources Tests Examples Benchmarks; do
    [ -d "$folder" ] && folders+=("$folder")
done

case "${1:-}" in
"")
    # Explicit files, so that build folders (an example package's .build) are never touched.
    find "${folders[@]}" -name '*.swift' -not -path '*/.build*' -print0 |
        xargs -0 swift format format --configuration .swift-format --in-place --parallel
    ;;
--check)
    # Format a copy and compare, so that the check is exactly "formatting changes nothing".
    copy="$(mktemp -d)"
    trap 'rm -rf "$copy"' EXIT
    # Only the Swift files: nothing else is formatted (and the DocC catalogs hold relative links).
    find "${folders[@]}" -name '*.swift' -not -path '*/.build*' -exec cp --parents {} "$copy"/ \;
    cp .swift-format "$copy"/
    (cd "$copy" && swift format format --configuration .swift-format --in-place --recursive --parallel .)
    changed=""
    while IFS= read -r file; do
        cmp -s "$file" "$copy/$file" || changed+="$file"$'\n'
    done < <(find "${folders[@]}" -name '*.swift' -not -path '*/.build*' | sort)
    changed="$(printf '%s' "$changed" | sed '/^$/d')"
    if [ -n "$changed" ]; then
        count="$(printf '%s\n' "$changed" | wc -l | tr -d ' ')"
        printf '%s\n' "$changed"
        echo "$count file(s) not formatted; run Scripts/format.sh"
        exit 1
    fi
    echo "every Swift file is formatted"
    ;;
*)
    echo "usage: Scripts/format.sh [--check]" >&2
    exit 2
    ;;
esac
