#!/usr/bin/env bash
# Throwaway MariaDB server on loopback for tests and the demo.
#   mariadb.sh start DIR PORT   install the data directory (first time) and start; users with password
#                                "hoop-test-password", all granted database testdb:
#                                  hoop_native   mysql_native_password
#                                  hoop_ed25519  ed25519 (MariaDB's client_ed25519)
#                                  hoop_tls      mysql_native_password, REQUIRE SSL
#                                root is reachable only through the socket DIR/mysqld.sock (unix_socket auth).
#                                TLS is on, with DIR/ca.pem the certificate to verify it against.
#   mariadb.sh stop DIR
set -euo pipefail
cmd=${1:?usage: mariadb.sh start|stop DIR [PORT]}
dir=$(realpath -m "${2:?usage: mariadb.sh start|stop DIR [PORT]}")

case "$cmd" in
start)
    port=${3:?usage: mariadb.sh start DIR PORT}
    mkdir -p "$dir"
    if [ ! -d "$dir/data/mysql" ]; then
        # A certificate of its own for 127.0.0.1, so clients can test every ssl mode; the certificate doubles as the
        # CA file for verify-full.
        openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 3650 \
            -subj "/CN=127.0.0.1" -addext "subjectAltName=IP:127.0.0.1" \
            -keyout "$dir/server.key" -out "$dir/server.crt" 2>/dev/null
        cp "$dir/server.crt" "$dir/ca.pem"
        cat > "$dir/my.cnf" <<CONF
[mariadbd]
user = mysql
datadir = $dir/data
socket = $dir/mysqld.sock
pid-file = $dir/mysqld.pid
log-error = $dir/server.log
bind-address = 127.0.0.1
port = $port
skip-log-bin
skip-name-resolve
innodb_flush_log_at_trx_commit = 0
innodb_buffer_pool_size = 64M
max_connections = 200
# A test client starved of CPU by a full parallel suite can take longer than the default 10 s to answer the
# greeting; the server would then drop it mid-login.
connect_timeout = 120
ssl_cert = $dir/server.crt
ssl_key = $dir/server.key
ssl_ca = $dir/ca.pem
[client]
socket = $dir/mysqld.sock
CONF
        chown -R mysql:mysql "$dir"
        mariadb-install-db --defaults-file="$dir/my.cnf" --auth-root-authentication-method=socket \
            --skip-test-db >"$dir/install.log" 2>&1
    fi
    mariadbd --defaults-file="$dir/my.cnf" >/dev/null 2>&1 &
    for _ in $(seq 1 200); do
        mariadb-admin --defaults-file="$dir/my.cnf" --connect-timeout=1 ping >/dev/null 2>&1 && break
        sleep 0.05
    done
    mariadb --defaults-file="$dir/my.cnf" -uroot <<'SQL'
INSTALL SONAME 'auth_ed25519';
CREATE DATABASE IF NOT EXISTS testdb;
CREATE USER IF NOT EXISTS hoop_native@'%' IDENTIFIED VIA mysql_native_password USING PASSWORD('hoop-test-password');
CREATE USER IF NOT EXISTS hoop_ed25519@'%' IDENTIFIED VIA ed25519 USING PASSWORD('hoop-test-password');
CREATE USER IF NOT EXISTS hoop_tls@'%' IDENTIFIED VIA mysql_native_password USING PASSWORD('hoop-test-password')
    REQUIRE SSL;
GRANT ALL ON testdb.* TO hoop_native@'%', hoop_ed25519@'%', hoop_tls@'%';
SQL
    ;;
stop)
    if [ -f "$dir/mysqld.pid" ]; then
        pid=$(cat "$dir/mysqld.pid")
        kill "$pid" 2>/dev/null || true
        for _ in $(seq 1 100); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.05
        done
        kill -9 "$pid" 2>/dev/null || true
    fi
    ;;
*)
    echo "usage: mariadb.sh start|stop DIR [PORT]" >&2
    exit 2
    ;;
esac
