"""The SSH section. Whether the broker under test has an `ssh` engine is decided at run time by offering it a
config with an ssh resource; a build without one refuses the config, and the section says "not available"."""

import json
import os
import pwd
import signal
import subprocess
import time

from .common import BenchError, free_port, log, median, port_open, wait_until

SSH_USER = "hooptest"  # the account the project's own sshd peer script uses


def _keys(stack):
    directory = os.path.join(stack.work, "ssh")
    if not os.path.exists(directory):
        os.makedirs(directory)
        os.chmod(directory, 0o755)
        for name in ("host", "broker"):
            subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", f"bench-{name}", "-f",
                            f"{directory}/{name}_ed25519"], check=True)
    return directory


def _resource(directory, sshd_port):
    with open(f"{directory}/host_ed25519.pub") as handle:
        host_key = " ".join(handle.read().split()[:2])
    return (f"  - name: ssh-bench\n    type: ssh\n    address: 127.0.0.1:{sshd_port}\n    username: {SSH_USER}\n"
            f"    private_key_file: {directory}/broker_ed25519\n    host_key: \"{host_key}\"\n"
            "    allow_shell: false\n    max_session: 12h\n    allow_groups: [agents]\n")


def supported(stack):
    """Starts a broker of its own with the ssh resource; a build without the SSH engine refuses it."""
    if not os.path.exists("/usr/sbin/sshd"):
        return False, "no OpenSSH server (/usr/sbin/sshd) on this machine"
    directory = _keys(stack)
    stack.ssh_port = free_port()
    process, env = stack.side_broker("ssh-broker", _resource(directory, stack.ssh_port))
    if process is None:
        return False, env
    stack.ssh_broker, stack.ssh_env = process, env
    return True, ""


def _start_sshd(stack, directory):
    try:
        pwd.getpwnam(SSH_USER)
    except KeyError:
        subprocess.run(["useradd", "--create-home", "--shell", "/bin/bash", SSH_USER], check=True)
    os.makedirs("/run/sshd", exist_ok=True)
    with open(f"{directory}/broker_ed25519.pub") as source, open(f"{directory}/authorized_keys", "w") as target:
        target.write(source.read())
    with open(f"{directory}/sshd_config", "w") as handle:
        handle.write(f"ListenAddress 127.0.0.1:{stack.ssh_port}\nHostKey {directory}/host_ed25519\n"
                     f"PidFile {directory}/sshd.pid\nAuthorizedKeysFile {directory}/authorized_keys\n"
                     f"AllowUsers {SSH_USER}\nUsePAM no\nStrictModes no\nPasswordAuthentication no\n"
                     "Subsystem sftp internal-sftp\n")
    # -D keeps sshd in the foreground, so the bench owns its pid and stops it on exit.
    stack.spawn("sshd", ["/usr/sbin/sshd", "-D", "-e", "-f", f"{directory}/sshd_config"])
    wait_until(lambda: port_open(stack.ssh_port), 15, "sshd")
    with open(f"{directory}/known_hosts", "w") as handle, open(f"{directory}/host_ed25519.pub") as key:
        handle.write(f"[127.0.0.1]:{stack.ssh_port} {' '.join(key.read().split()[:2])}\n")


def _time(argv, env, runs):
    samples = []
    for _ in range(runs):
        started = time.monotonic()
        result = subprocess.run(argv, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                stderr=subprocess.PIPE, text=True, timeout=300)
        if result.returncode != 0:
            raise BenchError(f"{' '.join(argv[:3])} ... failed: {result.stderr.strip()[-500:]}")
        samples.append(time.monotonic() - started)
    return samples


def measure(stack, settings):
    directory = _keys(stack)
    _start_sshd(stack, directory)
    env = stack.ssh_env
    connect = stack.spawn("connect-ssh", [stack.hoopctl, "connect", "ssh-bench", "--port", "0", "--output", "json",
                                          "--reason", "benchmark"], env=env, stop_signal=signal.SIGINT)
    stack.wait_for_log("connect-ssh", connect, '"port"')
    details = json.loads(next(l for l in stack.log_text("connect-ssh").splitlines() if '"port"' in l))
    askpass = os.path.join(directory, "askpass")
    with open(askpass, "w") as handle:
        handle.write(f"#!/bin/sh\nprintf '%s\\n' '{details['password']}'\n")
    os.chmod(askpass, 0o700)
    # The broker's SSH library negotiates curve25519 key exchange and AES-GCM on both legs; OpenSSH left to itself
    # picks the post-quantum sntrup761 exchange (about 100 ms per login on this class of machine) and ChaCha20, so
    # the direct path is pinned to what the brokered one uses, and the comparison is the broker's cost alone.
    negotiated = ["-o", "KexAlgorithms=curve25519-sha256", "-o", "Ciphers=aes128-gcm@openssh.com"]
    direct = ["ssh"] + negotiated + ["-i", f"{directory}/broker_ed25519", "-p", str(stack.ssh_port), "-o", "BatchMode=yes",
              "-o", f"UserKnownHostsFile={directory}/known_hosts", "-o", "StrictHostKeyChecking=yes",
              f"{SSH_USER}@127.0.0.1"]
    brokered = (["ssh"] + list(details.get("ssh_options") or ["-o", "StrictHostKeyChecking=no"]) +
                ["-p", str(details["port"]), f"{details['user']}@127.0.0.1"])
    brokered_env = dict(env, SSH_ASKPASS=askpass, SSH_ASKPASS_REQUIRE="force")
    runs = settings["exec_runs"]
    size = settings["ssh_mb"] * 1_000_000
    stream = f"head -c {size} /dev/zero"
    result = {"exec_true": {}, "stream": {}}
    for _ in range(1):  # warm both paths once
        _time(direct + ["true"], env, 1)
        _time(brokered + ["true"], brokered_env, 1)
    exec_direct, exec_broker, mb_direct, mb_broker = [], [], [], []
    for rep in range(settings["reps"]):
        exec_direct += _time(direct + ["true"], env, runs)
        exec_broker += _time(brokered + ["true"], brokered_env, runs)
        mb_direct += [settings["ssh_mb"] / t for t in _time(direct + [stream], env, 1)]
        mb_broker += [settings["ssh_mb"] / t for t in _time(brokered + [stream], brokered_env, 1)]
        log(f"  rep {rep + 1}: ssh true {median(exec_direct) * 1000:.0f} / {median(exec_broker) * 1000:.0f} ms")
    result["exec_true"] = {"direct_ms": median(exec_direct) * 1000, "broker_ms": median(exec_broker) * 1000}
    result["stream"] = {"mb": settings["ssh_mb"], "direct_mb_per_s": median(mb_direct),
                        "broker_mb_per_s": median(mb_broker)}
    result["connect"] = {k: v for k, v in details.items() if k != "password"}
    return result
