#!/usr/bin/env bash
# Throwaway OpenSSH server on loopback for tests and the demo.
#   sshd.sh start DIR PORT   keys (first time) and start; user hooptest (password "hoop-ssh-password") accepts
#                            DIR/broker_ed25519 (the broker's key); DIR/wrong_ed25519 is a key it does not accept;
#                            DIR/host_ed25519.pub is the host key to pin, DIR/known_hosts lists it for 127.0.0.1:PORT
#   sshd.sh stop DIR
set -euo pipefail
cmd=${1:?usage: sshd.sh start|stop DIR [PORT]}
dir=$(realpath -m "${2:?usage: sshd.sh start|stop DIR [PORT]}")
user=hooptest

case "$cmd" in
start)
    port=${3:?usage: sshd.sh start DIR PORT}
    mkdir -p "$dir" /run/sshd
    # sshd reads authorized_keys as the test user.
    chmod 755 "$dir"
    if ! id "$user" >/dev/null 2>&1; then
        useradd --create-home --shell /bin/bash "$user"
    fi
    echo "$user:hoop-ssh-password" | chpasswd
    if [ ! -f "$dir/host_ed25519" ]; then
        ssh-keygen -q -t ed25519 -N '' -C hoop-test-host -f "$dir/host_ed25519"
        ssh-keygen -q -t ed25519 -N '' -C hoop-test-broker -f "$dir/broker_ed25519"
        ssh-keygen -q -t ed25519 -N '' -C hoop-test-wrong -f "$dir/wrong_ed25519"
        cp "$dir/broker_ed25519.pub" "$dir/authorized_keys"
        printf '[127.0.0.1]:%s %s\n' "$port" "$(cut -d' ' -f1,2 "$dir/host_ed25519.pub")" > "$dir/known_hosts"
        cat > "$dir/sshd_config" <<CONF
ListenAddress 127.0.0.1:$port
HostKey $dir/host_ed25519
PidFile $dir/sshd.pid
AuthorizedKeysFile $dir/authorized_keys
AllowUsers $user
UsePAM no
StrictModes no
PasswordAuthentication yes
KbdInteractiveAuthentication no
AllowTcpForwarding yes
AcceptEnv LANG LC_* HOOP_*
Subsystem sftp internal-sftp
LogLevel VERBOSE
CONF
    fi
    /usr/sbin/sshd -t -f "$dir/sshd_config"
    /usr/sbin/sshd -f "$dir/sshd_config" -E "$dir/sshd.log"
    for _ in $(seq 1 100); do
        if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then exit 0; fi
        sleep 0.05
    done
    echo "sshd did not listen on 127.0.0.1:$port; see $dir/sshd.log" >&2
    exit 1
    ;;
stop)
    if [ -f "$dir/sshd.pid" ]; then
        kill "$(cat "$dir/sshd.pid")" 2>/dev/null || true
        rm -f "$dir/sshd.pid"
    fi
    ;;
*)
    echo "usage: sshd.sh start|stop DIR [PORT]" >&2
    exit 2
    ;;
esac
