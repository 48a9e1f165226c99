#!/usr/bin/env bash
# Throwaway PostgreSQL 15 cluster on loopback for tests and the demo.
#   postgres.sh start DIR PORT   initdb (first time) and start; users: postgres (trust on the socket),
#                                 hoop_scram / hoop_md5 / hoop_plain (cleartext `password` method) with password
#                                 "hoop-test-password" on TCP; TLS on,
#                                 with DIR/ca.pem the certificate to verify it against
#   postgres.sh stop DIR
set -euo pipefail
cmd=${1:?usage: postgres.sh start|stop DIR [PORT]}
dir=$(realpath -m "${2:?usage: postgres.sh start|stop DIR [PORT]}")
bin=/usr/lib/postgresql/15/bin
as_pg() { runuser -u postgres -- "$@"; }

case "$cmd" in
start)
    port=${3:?usage: postgres.sh start DIR PORT}
    if [ ! -f "$dir/data/PG_VERSION" ]; then
        mkdir -p "$dir"
        chown postgres:postgres "$dir"
        printf 'hoop-test-password\n' > "$dir/pwfile"
        chown postgres "$dir/pwfile"
        as_pg "$bin/initdb" -D "$dir/data" -U postgres --auth-local=trust --auth-host=scram-sha-256 \
            --pwfile="$dir/pwfile" --no-sync >/dev/null
        cat >> "$dir/data/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$dir'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 200
# Two-phase commit (PREPARE TRANSACTION) is off by default; client test suites (psycopg2's) exercise it.
max_prepared_transactions = 10
CONF
        # TLS with a certificate of its own (for 127.0.0.1), so clients can test every sslmode; server.crt doubles
        # as the CA file for verify-full.
        openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 3650 \
            -subj "/CN=127.0.0.1" -addext "subjectAltName=IP:127.0.0.1" \
            -keyout "$dir/data/server.key" -out "$dir/data/server.crt" 2>/dev/null
        chown postgres:postgres "$dir/data/server.key" "$dir/data/server.crt"
        chmod 600 "$dir/data/server.key"
        cp "$dir/data/server.crt" "$dir/ca.pem"
        printf "ssl = on\n" >> "$dir/data/postgresql.conf"
        # md5 users must be matched before the catch-all scram line.
        sed -i '/^host.*all.*all.*127.0.0.1/i host all hoop_md5 127.0.0.1/32 md5' "$dir/data/pg_hba.conf"
        sed -i '/^host.*all.*all.*127.0.0.1/i host all hoop_plain 127.0.0.1/32 password' "$dir/data/pg_hba.conf"
    fi
    as_pg "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 start >/dev/null
    as_pg psql -h "$dir" -p "$port" -U postgres -q -v ON_ERROR_STOP=1 <<'SQL'
DO $$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'hoop_scram') THEN
    SET password_encryption = 'scram-sha-256';
    CREATE ROLE hoop_scram LOGIN SUPERUSER PASSWORD 'hoop-test-password';
    SET password_encryption = 'md5';
    CREATE ROLE hoop_md5 LOGIN PASSWORD 'hoop-test-password';
  END IF;
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'hoop_plain') THEN
    SET password_encryption = 'scram-sha-256';
    CREATE ROLE hoop_plain LOGIN PASSWORD 'hoop-test-password';
  END IF;
END $$;
SELECT 'CREATE DATABASE testdb OWNER hoop_scram' WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'testdb')
\gexec
SQL
    ;;
stop)
    if [ -f "$dir/data/postmaster.pid" ]; then
        as_pg "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null || true
    fi
    ;;
*)
    echo "usage: postgres.sh start|stop DIR [PORT]" >&2
    exit 2
    ;;
esac
