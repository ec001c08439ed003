#!/usr/bin/env bash
# Fuzzes trove's readers of hostile input with cargo-fuzz (libFuzzer, AddressSanitizer):
#   scripts/fuzz.sh MINUTES [TARGET…]
# runs each target (every one in fuzz/ by default) for MINUTES minutes, then prints the
# executions and findings of each. Not part of the test run. A finding is a file under
# fuzz/artifacts/TARGET/: reproduce it with
#   cargo +nightly fuzz run --fuzz-dir fuzz TARGET fuzz/artifacts/TARGET/FILE
# fix it, and keep the input as a regression test beside the code it broke.
# Installs the nightly toolchain and cargo-fuzz when missing.
set -euo pipefail
cd "$(dirname "$0")/.."

minutes="${1:?usage: scripts/fuzz.sh MINUTES [TARGET…]}"
shift
case "$minutes" in *[!0-9]*|'') echo "MINUTES must be a whole number, not $minutes" >&2; exit 2 ;; esac

export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/trove-target}"
# Sanitised nightly builds apart from the tests' build. Memory: at most 2 GiB resident;
# a single allocation may reserve up to 4 GiB, because UnRAR reserves the whole window a
# RAR header asks for (its own limit is 4 GiB) and touches only what it decodes.
fuzz_target_dir="${TROVE_FUZZ_TARGET_DIR:-$HOME/.cache/trove-fuzz-target}"

rustup toolchain list | grep -q '^nightly' || rustup toolchain install nightly --profile minimal
cargo +nightly fuzz --version >/dev/null 2>&1 || cargo install cargo-fuzz --locked

targets=("$@")
if [ "${#targets[@]}" -eq 0 ]; then
    mapfile -t targets < <(cargo +nightly fuzz list --fuzz-dir fuzz)
fi

# Seed corpora, made once: the demo leak's files and the hostile set (small scale) for the
# file readers, real files from ../shared/corpus when it is there, and a few lines for
# the text parsers. libFuzzer adds what it finds to the same folders.
seed() {
    local corpus=fuzz/corpus
    [ -d "$corpus/extract" ] && return
    echo "writing seed corpora…" >&2
    local leak
    leak="$(mktemp -d)"
    cargo run --release -q -p trove-cli -- synth --people 40 --out "$leak/demo" >/dev/null
    cargo run --release -q -p trove-cli -- synth --hostile --out "$leak/hostile" >/dev/null
    mkdir -p "$corpus"/{extract,unpack,sheet,resident_id,names,relatives_list,mapping,query}
    local sources=("$leak")
    [ -d ../shared/corpus ] && sources+=(../shared/corpus)
    find "${sources[@]}" -type f -size -1024k -print0 |
        while IFS= read -r -d '' file; do
            local name
            name="$(sha256sum "$file" | cut -c1-16)"
            cp "$file" "$corpus/extract/$name"
            cp "$file" "$corpus/unpack/$name"
        done
    find "$leak/demo" -name '*.csv' -size -64k -exec sh -c 'tr , "\t" < "$1" > "$2/$(basename "$1")"' _ {} "$corpus/sheet" \;
    printf '65312119900101002X' > "$corpus/resident_id/valid"
    printf '６５３１２１１９９００１０１００２x' > "$corpus/resident_id/full-width"
    printf '阿卜杜热合曼·托合提\tAbdurehman Toxti' > "$corpus/names/han-latin"
    printf 'ئابدۇرەھمان توختى\t阿不都热合曼' > "$corpus/names/arabic-han"
    printf 'name,birth,place\nAbdurehman Toxti,1985,Kashgar\n' > "$corpus/relatives_list/csv"
    printf '[{"name":"古丽","birth":"1990-01-01"}]' > "$corpus/relatives_list/json"
    printf '[[sheet]]\npath = "*.xlsx"\nheader_row = 2\nkind = "detainees"\n[sheet.columns]\nA = "name"\n"身份证" = "id_number"\n' > "$corpus/mapping/rule"
    printf '教育转化 AND type:pdf' > "$corpus/query/boolean"
    printf '"shoot to kill" -path:备份 year:2017' > "$corpus/query/phrase"
    printf 'camera:canon* OR title:讲话' > "$corpus/query/fields"
    rm -rf "$leak"
}
seed

summary=()
for target in "${targets[@]}"; do
    echo "== fuzzing $target for $minutes min" >&2
    log="$(mktemp)"
    cargo +nightly fuzz run --fuzz-dir fuzz --target-dir "$fuzz_target_dir" "$target" \
        "fuzz/corpus/$target" -- \
        -max_total_time=$((minutes * 60)) -timeout=60 -rss_limit_mb=2048 -malloc_limit_mb=4096 \
        -print_final_stats=1 2>&1 | tee "$log" | grep -E '^#[0-9]+.*(pulse|DONE)|ERROR|SUMMARY' >&2 || true
    runs="$(grep -oE 'stat::number_of_executed_units: *[0-9]+' "$log" | grep -oE '[0-9]+$' || echo '?')"
    findings="$(find "fuzz/artifacts/$target" -type f 2>/dev/null | wc -l)"
    summary+=("$(printf '%-16s %12s executions  %3s findings' "$target" "$runs" "$findings")")
    rm -f "$log"
done
printf '%s\n' "${summary[@]}"
