#!/usr/bin/env bash
# A throwaway S3 server for the tests: `scripts/s3.sh start DIR` serves the folder
# DIR/data over the S3 protocol on a free loopback port with s3s-fs (a Rust S3 server
# over a folder; built once into ~/.cache/trove-tools with cargo) and prints the
# variables the tests read, as `export` lines; `scripts/s3.sh stop DIR` stops it. Each
# folder under DIR/data is a bucket.
set -euo pipefail

usage() { echo "usage: $0 start|stop DIR" >&2; exit 2; }
[ $# -eq 2 ] || usage
action="$1"
dir="$2"

# s3s-fs 0.14 is the newest that builds with this toolchain (Rust 1.95).
tools="${TROVE_TOOLS_DIR:-$HOME/.cache/trove-tools}"
server="$tools/bin/s3s-fs"

case "$action" in
start)
    if [ ! -x "$server" ]; then
        echo "building s3s-fs (an S3 server over a folder) for the S3 tests…" >&2
        cargo install s3s-fs@0.14.1 --features binary --locked --quiet --root "$tools" >&2
    fi
    mkdir -p "$dir/data"
    port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
    access_key="trove-test"
    secret_key="$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')"
    "$server" --host 127.0.0.1 --port "$port" \
        --access-key "$access_key" --secret-key "$secret_key" \
        "$dir/data" >"$dir/server.log" 2>&1 &
    echo $! >"$dir/server.pid"
    for _ in $(seq 100); do
        if python3 -c "import socket; socket.create_connection(('127.0.0.1', $port), 1)" 2>/dev/null; then
            echo "export TROVE_TEST_S3_ENDPOINT=http://127.0.0.1:$port"
            echo "export TROVE_TEST_S3_ROOT=$dir/data"
            echo "export TROVE_TEST_S3_ACCESS_KEY=$access_key"
            echo "export TROVE_TEST_S3_SECRET_KEY=$secret_key"
            exit 0
        fi
        sleep 0.1
    done
    cat "$dir/server.log" >&2
    echo "s3s-fs did not start" >&2
    exit 1
    ;;
stop)
    [ -f "$dir/server.pid" ] && kill "$(cat "$dir/server.pid")" 2>/dev/null || true
    ;;
*) usage ;;
esac
