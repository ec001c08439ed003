#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the tests: `scripts/postgres.sh start DIR` makes a
# cluster in DIR (Debian's postgresql packages, installed when missing), starts it on a
# free loopback port with its socket in DIR, and prints its URL; it also accepts TLS,
# with a certificate for 127.0.0.1 from a throwaway authority whose certificate is
# DIR/ca.crt (for the tests of `sslmode=require`); `scripts/postgres.sh
# stop DIR` stops it. PostgreSQL refuses to run as root, so as root the cluster belongs
# to the `postgres` user the Debian package creates.
set -euo pipefail

usage() { echo "usage: $0 start|stop DIR" >&2; exit 2; }
[ $# -eq 2 ] || usage
action="$1"
dir="$2"

pg_bin() {
    local found
    found="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
    [ -n "$found" ] && [ -x "$found/initdb" ] && echo "$found"
}

# Runs a PostgreSQL program as the cluster's owner.
as_owner() {
    if [ "$(id -u)" -eq 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

case "$action" in
start)
    bin="$(pg_bin || true)"
    if [ -z "$bin" ]; then
        sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
        echo "installing Debian's postgresql for the PostgreSQL tests…" >&2
        export DEBIAN_FRONTEND=noninteractive
        $sudo apt-get install -y -qq --no-install-recommends postgresql >&2 \
            || { $sudo apt-get update -qq >&2 && $sudo apt-get install -y -qq --no-install-recommends postgresql >&2; }
        bin="$(pg_bin)"
    fi
    mkdir -p "$dir"
    if [ "$(id -u)" -eq 0 ]; then
        chown postgres "$dir"
        runuser -u postgres -- test -w "$dir" \
            || { echo "the postgres user cannot reach $dir: make the folders above it searchable (chmod a+x)" >&2; exit 1; }
    fi
    # A free port: the kernel picks one, Python tells us which.
    port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
    as_owner "$bin/initdb" --pgdata="$dir/data" --username=trove --auth=trust \
        --encoding=UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
        || { cat "$dir/initdb.log" >&2; exit 1; }
    # A throwaway certificate authority and the server's certificate from it.
    if ! command -v openssl >/dev/null 2>&1; then
        sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
        DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends openssl >&2
    fi
    tls="$dir/tls"
    mkdir -p "$tls"
    {
        openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 7 \
            -subj "/CN=trove test authority" -keyout "$tls/ca.key" -out "$dir/ca.crt" 2>/dev/null
        openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
            -subj "/CN=127.0.0.1" -keyout "$tls/server.key" -out "$tls/server.csr" 2>/dev/null
        printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n' >"$tls/ext"
        openssl x509 -req -in "$tls/server.csr" -CA "$dir/ca.crt" -CAkey "$tls/ca.key" \
            -CAcreateserial -days 7 -extfile "$tls/ext" -out "$tls/server.crt" 2>/dev/null
    } || { echo "openssl could not make the test cluster's certificates" >&2; exit 1; }
    chmod 600 "$tls/server.key"
    [ "$(id -u)" -eq 0 ] && chown -R postgres "$tls"
    # Tests run many short connections at once: room for them, and no durability
    # work a throwaway cluster does not need.
    as_owner "$bin/pg_ctl" --pgdata="$dir/data" --log="$dir/server.log" --wait \
        -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$dir -c max_connections=200 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c ssl=on -c ssl_cert_file=$tls/server.crt -c ssl_key_file=$tls/server.key" \
        start >&2 || { cat "$dir/server.log" >&2; exit 1; }
    echo "postgres://trove@127.0.0.1:$port/postgres"
    ;;
stop)
    bin="$(pg_bin)"
    [ -d "$dir/data" ] && as_owner "$bin/pg_ctl" --pgdata="$dir/data" --mode=immediate stop >&2 || true
    rm -rf "$dir"
    ;;
*)
    usage
    ;;
esac
