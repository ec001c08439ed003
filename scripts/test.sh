#!/usr/bin/env bash
# Runs every test of trove on a fresh Debian machine with only the Rust
# toolchain. Installs whatever the tests need first: Debian's packages below, and
# Debian's Chromium and playwright-core for the browser test (scripts/e2e/install.sh).
set -euo pipefail
cd "$(dirname "$0")/.."

# Build outside the clone so repeated runs on one machine reuse the build.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/trove-target}"
# Two cores: one test binary at a time keeps peak memory and disk I/O sane.
export CARGO_BUILD_JOBS="${CARGO_BUILD_JOBS:-2}"

# Debian packages the build and the tests need, installed when missing: a C++ compiler
# (the RAR reader is UnRAR's C++ source); Tesseract with Chinese, Uyghur and English data,
# poppler's pdftoppm, and pango-view with CJK and Arabic-script fonts to draw test pages;
# hashdeep, which audits a folder against trove's custody manifest. PostgreSQL comes
# with scripts/postgres.sh below.
need_packages=()
command -v c++ >/dev/null 2>&1 || need_packages+=(g++)
tesseract_languages="$(tesseract --list-langs 2>/dev/null || true)"
case "$tesseract_languages" in
    *chi_sim*uig*) ;;
    *) need_packages+=(tesseract-ocr tesseract-ocr-chi-sim tesseract-ocr-chi-tra tesseract-ocr-uig tesseract-ocr-eng) ;;
esac
command -v pdftoppm >/dev/null 2>&1 || need_packages+=(poppler-utils)
command -v pango-view >/dev/null 2>&1 || need_packages+=(pango1.0-tools fonts-wqy-microhei fonts-dejavu-core)
command -v hashdeep >/dev/null 2>&1 || need_packages+=(hashdeep)
if [ "${#need_packages[@]}" -gt 0 ]; then
    sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
    echo "installing Debian packages the tests need: ${need_packages[*]}…" >&2
    export DEBIAN_FRONTEND=noninteractive
    $sudo apt-get install -y -qq --no-install-recommends "${need_packages[@]}" >&2 \
        || { $sudo apt-get update -qq >&2 && $sudo apt-get install -y -qq --no-install-recommends "${need_packages[@]}" >&2; }
fi

# The followthemoney package (Python), which checks the FollowTheMoney entities that
# `trove publish` and `trove export ftm` write, in a virtual environment of its own
# (Debian's python3-venv). Without network the check says it skipped; nothing else stops.
ftm_env="${TROVE_FTM_ENV:-$HOME/.cache/trove-ftm}"
if [ ! -x "$ftm_env/bin/python" ] || ! "$ftm_env/bin/python" -c 'import followthemoney' 2>/dev/null; then
    if ! python3 -c 'import venv, ensurepip' 2>/dev/null; then
        sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
        DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends python3-venv >&2 || true
    fi
    echo "installing followthemoney into $ftm_env…" >&2
    { python3 -m venv "$ftm_env" && "$ftm_env/bin/pip" install -q 'followthemoney>=4,<5'; } >&2 \
        || echo "note: followthemoney could not be installed; the FollowTheMoney check will skip" >&2
fi
if "$ftm_env/bin/python" -c 'import followthemoney' 2>/dev/null; then
    export TROVE_FTM_PYTHON="$ftm_env/bin/python"
fi

if [ ! -d ../shared/corpus ]; then
    echo "note: ../shared/corpus not found: the corpus tests will skip (they say so)"
fi

# Throwaway servers for the server-mode tests, unless the caller names its own: a
# PostgreSQL cluster (the catalog and access contracts run on SQLite and on PostgreSQL)
# and an S3 server over a folder (originals in a bucket).
pg_dir=""; s3_dir=""; test_tmp=""
clean_up() {
    if [ -n "$pg_dir" ]; then scripts/postgres.sh stop "$pg_dir/cluster" >/dev/null 2>&1; rm -rf "$pg_dir"; fi
    if [ -n "$s3_dir" ]; then scripts/s3.sh stop "$s3_dir" >/dev/null 2>&1; rm -rf "$s3_dir"; fi
    if [ -n "$test_tmp" ]; then rm -rf "$test_tmp"; fi
}
trap clean_up EXIT
if [ -z "${TROVE_TEST_DATABASE_URL:-}" ]; then
    pg_dir="$(mktemp -d)"
    chmod 755 "$pg_dir"
    TROVE_TEST_DATABASE_URL="$(scripts/postgres.sh start "$pg_dir/cluster")"
    export TROVE_TEST_DATABASE_URL
    export TROVE_TEST_PG_CA="$pg_dir/cluster/ca.crt"
fi
if [ -z "${TROVE_TEST_S3_ENDPOINT:-}" ]; then
    s3_dir="$(mktemp -d)"
    s3_settings="$(scripts/s3.sh start "$s3_dir")"
    eval "$s3_settings"
fi

if [ -z "${TROVE_SKIP_BROWSER_TESTS:-}" ]; then
    TROVE_E2E_DIR="$(scripts/e2e/install.sh)"
    export TROVE_E2E_DIR
fi

# The tests' temporary folders go under one removed at the end: the demo leaks a test
# binary shares are kept for the life of the process, never dropped (~320 MB a run, left
# behind on a machine that runs the tests again and again).
test_tmp="$(mktemp -d)"
TMPDIR="$test_tmp" cargo test --workspace --locked "$@"
