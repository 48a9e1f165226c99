#!/usr/bin/env bash
# Throwaway nginx on loopback for tests and the bench, as an unprivileged user (www-data when started as root).
#   nginx.sh start DIR PORT                    a static file server on 127.0.0.1:PORT with root DIR/www:
#                                                /small.json  about 1 KiB, a JSON array of users with e-mails
#                                                             and a test card number
#                                                /large.json  the same kind of array, about 64 KiB
#   nginx.sh start DIR PORT UPSTREAM_HOST:PORT  a reverse proxy on 127.0.0.1:PORT sending every request to
#                                                UPSTREAM over HTTP/1.1 with upstream keep-alive (the proxy a user
#                                                would pick instead of the broker); Host becomes UPSTREAM
#   nginx.sh stop DIR
# Config, pid file, temp directories and logs live in DIR (DIR/nginx.conf, DIR/nginx.pid, DIR/server.log for
# errors, DIR/access.log). NGINX_WORKERS sets worker_processes (default auto: one per core).
set -euo pipefail
cmd=${1:?usage: nginx.sh start|stop DIR [PORT [UPSTREAM_HOST:PORT]]}
dir=$(realpath -m "${2:?usage: nginx.sh start|stop DIR [PORT [UPSTREAM_HOST:PORT]]}")
nginx=/usr/sbin/nginx
user=www-data

# A JSON array of COUNT users, each record the same width so the file's size follows from the count.
users_json() {
    local count=$1 i
    printf '['
    for ((i = 1; i <= count; i++)); do
        [ "$i" -gt 1 ] && printf ','
        printf '{"id":%d,"name":"User %05d","email":"user%05d@example.com","card":"4111111111111111","city":"Springfield"}' \
            "$((10000 + i))" "$i" "$i"
    done
    printf ']\n'
}

case "$cmd" in
start)
    port=${3:?usage: nginx.sh start DIR PORT [UPSTREAM_HOST:PORT]}
    upstream=${4:-}
    mkdir -p "$dir/www" "$dir/tmp"
    users_json 9 > "$dir/www/small.json"
    users_json 585 > "$dir/www/large.json"
    if [ -n "$upstream" ]; then
        site="    upstream target {
        server $upstream;
        keepalive 64;
    }
    server {
        listen 127.0.0.1:$port;
        location / {
            proxy_pass http://target;
            proxy_http_version 1.1;
            proxy_set_header Connection \"\";
            proxy_set_header Host $upstream;
        }
    }"
    else
        site="    server {
        listen 127.0.0.1:$port;
        root $dir/www;
    }"
    fi
    cat > "$dir/nginx.conf" <<CONF
worker_processes ${NGINX_WORKERS:-auto};
pid $dir/nginx.pid;
error_log $dir/server.log warn;
events {
    worker_connections 4096;
}
http {
    types {
        application/json json;
        text/plain txt;
    }
    default_type application/octet-stream;
    access_log $dir/access.log combined buffer=64k flush=1s;
    client_body_temp_path $dir/tmp/body;
    proxy_temp_path $dir/tmp/proxy;
    fastcgi_temp_path $dir/tmp/fastcgi;
    uwsgi_temp_path $dir/tmp/uwsgi;
    scgi_temp_path $dir/tmp/scgi;
    sendfile on;
    tcp_nodelay on;
    # Clients (wrk, the tests) keep one connection for a whole run.
    keepalive_timeout 120s;
    keepalive_requests 10000000;
$site
}
CONF
    run=()
    if [ "$(id -u)" -eq 0 ]; then
        chown -R "$user:$user" "$dir"
        # The directories above DIR must let the unprivileged user through to its files.
        run=(setpriv --reuid="$user" --regid="$user" --clear-groups)
    fi
    "${run[@]}" "$nginx" -q -t -p "$dir/" -c "$dir/nginx.conf" -e "$dir/server.log"
    "${run[@]}" "$nginx" -p "$dir/" -c "$dir/nginx.conf" -e "$dir/server.log"
    for _ in $(seq 1 100); do
        if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then exit 0; fi
        sleep 0.05
    done
    echo "nginx did not listen on 127.0.0.1:$port; see $dir/server.log" >&2
    exit 1
    ;;
stop)
    if [ -f "$dir/nginx.pid" ]; then
        pid=$(cat "$dir/nginx.pid")
        kill "$pid" 2>/dev/null || true
        for _ in $(seq 1 100); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.05
        done
        kill -9 "$pid" 2>/dev/null || true
        rm -f "$dir/nginx.pid"
    fi
    ;;
*)
    echo "usage: nginx.sh start|stop DIR [PORT [UPSTREAM_HOST:PORT]]" >&2
    exit 2
    ;;
esac
