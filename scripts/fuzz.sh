#!/usr/bin/env bash
# Fuzzes the parsers people feed by hand, with libFuzzer (swiftc -sanitize=fuzzer):
#   frontmatter  the front-matter splitter (Sources/Content/FrontMatter.swift)
#   templates    the template lexer and parser (Sources/Templates)
#
# Usage: bash scripts/fuzz.sh [SECONDS] [TARGET...]
#   SECONDS  how long each target runs (default 60)
#   TARGET   frontmatter, templates (default: both)
#
# Each target starts from Fuzz/seeds/TARGET, the files of the sample site and
# theme, and what earlier runs found (.build-fuzz/corpus/TARGET, kept between
# runs). An input that crashes is saved in .build-fuzz/crashes/TARGET/ and the
# script fails. Keep it as a regression test: copy it to Fuzz/crashers/TARGET/
# (Tests/SiteTests/FuzzCrasherTests.swift feeds every file there), then fix.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${1:-60}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(frontmatter templates)

work=.build-fuzz
flags=(-parse-as-library -O -g -swift-version 6)

build_frontmatter() {
    # The splitter reads bytes through an unsafe buffer, unchecked in -O:
    # AddressSanitizer catches a read past its end.
    swiftc "${flags[@]}" -sanitize=fuzzer,address -module-name FrontMatterFuzz \
        Sources/Content/FrontMatter.swift Fuzz/FrontMatterFuzzer.swift \
        -o "$work/bin/frontmatter"
}

build_templates() {
    # Templates imports Diagnostics: build that module first, then Templates
    # with the fuzz entry inside it, so the entry reaches Lexer and Parser.
    # They index only Swift arrays, whose bounds checks stay on in -O, so
    # they run without AddressSanitizer, several times faster.
    flags+=(-sanitize=fuzzer)
    swiftc "${flags[@]}" -module-name Diagnostics -emit-module -emit-module-path "$work/modules/Diagnostics.swiftmodule" \
        -wmo -c Sources/Diagnostics/*.swift -o "$work/obj/Diagnostics.o"
    swiftc "${flags[@]}" -module-name Templates -I "$work/modules" \
        -wmo -c Sources/Templates/*.swift Fuzz/TemplateFuzzer.swift -o "$work/obj/Templates.o"
    swiftc "${flags[@]}" "$work/obj/Diagnostics.o" "$work/obj/Templates.o" -o "$work/bin/templates"
}

# Sample inputs beyond Fuzz/seeds: real content files and templates.
seed_frontmatter() { find content -name '*.md'; }
seed_templates() { find templates -name '*.html'; find Tests/TemplatesTests/Golden -name '*.case' 2>/dev/null || true; }

mkdir -p "$work/bin" "$work/obj" "$work/modules"
failed=()
for target in "${targets[@]}"; do
    case "$target" in
        frontmatter | templates) ;;
        *) echo "unknown fuzz target: $target (frontmatter, templates)" >&2; exit 2 ;;
    esac
    echo "== fuzz $target: building"
    if ! "build_$target" > "$work/$target-build.log" 2>&1; then
        cat "$work/$target-build.log" >&2
        exit 1
    fi
    corpus="$work/corpus/$target" crashes="$work/crashes/$target"
    mkdir -p "$corpus" "$crashes"
    "seed_$target" | while read -r file; do cp "$file" "$corpus/seed-$(echo "$file" | tr '/' '_')"; done
    echo "== fuzz $target: running for $seconds s"
    inputs=("$corpus" "Fuzz/seeds/$target")
    [ -d "Fuzz/crashers/$target" ] && inputs+=("Fuzz/crashers/$target")
    # -timeout: one input taking 10 s is a hang worth reporting.
    if ! "$work/bin/$target" "${inputs[@]}" \
            -dict="Fuzz/$target.dict" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
            -max_len=8192 -print_final_stats=1 -artifact_prefix="$crashes/" \
            > "$work/$target.log" 2>&1; then
        tail -n 60 "$work/$target.log" >&2
        failed+=("$target")
        continue
    fi
    grep -E '^(stat::number_of_executed_units|stat::peak_rss_mb)|^#[0-9]+ *DONE' "$work/$target.log" || true
done

if [ ${#failed[@]} -gt 0 ]; then
    echo "fuzzing found crashes in: ${failed[*]}; inputs are in $work/crashes/" >&2
    exit 1
fi
echo "fuzzing: no crashes"
