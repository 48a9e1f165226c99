"""Everything the bench talks to, started on loopback in one temporary directory and stopped on exit: a
PostgreSQL 15 cluster, the test identity provider, the broker (release build), `hoopctl connect` forwarders, and
the two reference proxies, pgbouncer (session pooling) and haproxy (TCP). Another engine's section (mysqlbench)
adds its own target, broker resources and forwarders through `extra_resources`, `extra_env` and `connect(...,
targets=...)`."""

import json
import os
import shutil
import signal
import subprocess
import time

from .common import BenchError, free_port, log, port_open, wait_until

PG_BIN = "/usr/lib/postgresql/15/bin"
PG_USER = "bench"
PG_PASSWORD = "bench-target-password"
PG_DATABASE = "bench"


def guardrails(file_access: str) -> str:
    """The guardrails of the product's own example policy, in either dialect: DDL waits for a DBA, unfiltered
    writes are blocked, a sensitive table needs finance, and file access from SQL (`file_access`, a regex of the
    dialect's file functions) is refused. None of them fires on the benchmarks' statements, so every statement
    pays for being judged and none is stopped."""
    return f"""\
    guardrails:
      - name: ddl
        match: [drop, truncate, alter, grant, revoke]
        action: require_approval
        approvers: [dba]
      - name: unfiltered-writes
        match: [delete_without_where, update_without_where]
        action: block
      - name: payroll
        match: {{ tables: [payroll.salaries] }}
        action: require_approval
        approvers: [finance]
      - name: file-access
        match: {{ regex: "{file_access}" }}
        action: block
"""


GUARDRAILS = guardrails("pg_read_file|lo_export")

MASKING = """\
    masking:
      detectors: [email, payment_card, us_ssn, phone, iban, ip_address, jwt, private_key, cloud_keys]
      strategy: redact
"""


class Target:
    """One way for a PostgreSQL client to reach the bench database, and the processes whose CPU it costs."""

    def __init__(self, name, label, port, user, password, processes=None, sslmode="disable", sslrootcert=None):
        self.name = name
        self.label = label
        self.port = port
        self.user = user
        self.password = password
        # {role: pid}: proxy processes charged for the traffic (empty for direct).
        self.processes = processes or {}
        # "require" where the client's hop is TLS, as the broker's hop from `hoopctl connect` always is.
        self.sslmode = sslmode
        # The CA a verify-full client checks the server with (the broker's, for direct mode).
        self.sslrootcert = sslrootcert

    def env(self):
        env = dict(os.environ)
        env.update(PGPASSWORD=self.password, PGSSLMODE=self.sslmode, PGCONNECT_TIMEOUT="20")
        if self.sslrootcert:
            env.update(PGSSLROOTCERT=self.sslrootcert)
        return env

    def psql_args(self):
        return ["psql", "-X", "-q", "-h", "127.0.0.1", "-p", str(self.port), "-U", self.user, "-d", PG_DATABASE]


class Stack:
    def __init__(self, root, hoopctl, work, max_connections):
        self.root = root
        self.hoopctl = hoopctl
        self.work = work
        self.max_connections = max_connections
        self.children = []  # (name, Popen, stop signal), stopped in reverse order
        # Callables that stop what was started outside `spawn` (daemons with a pid file), run after the children.
        self.cleanups = []
        self.pg_dir = os.path.join(work, "pg")
        self.pg_port = None
        self.broker_port = None
        self.broker = None
        self.client_env = None
        self.targets = {}
        # Broker resources (YAML list items) and broker environment other engines' sections add before the
        # broker starts.
        self.extra_resources = ""
        self.extra_env = {}

    # -- process plumbing -------------------------------------------------------------------------------------

    def spawn(self, name, argv, env=None, cwd=None, stop_signal=signal.SIGTERM):
        logfile = open(os.path.join(self.work, f"{name}.log"), "ab")
        process = subprocess.Popen(
            argv, stdout=logfile, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=env, cwd=cwd,
            start_new_session=True,  # Ctrl-C reaches the bench only; it stops children in order
        )
        logfile.close()
        self.children.append((name, process, stop_signal))
        return process

    def log_text(self, name):
        try:
            with open(os.path.join(self.work, f"{name}.log"), errors="replace") as handle:
                return handle.read()
        except FileNotFoundError:
            return ""

    def wait_for_log(self, name, process, text, timeout=60):
        def ready():
            if process.poll() is not None:
                raise BenchError(f"{name} exited ({process.returncode}):\n{self.log_text(name)[-3000:]}")
            return text in self.log_text(name)

        wait_until(ready, timeout, f"'{text}' from {name}")

    def stop_child(self, name, process, stop_signal, timeout=15):
        if process.poll() is None:
            try:
                os.killpg(process.pid, stop_signal)
            except ProcessLookupError:
                pass
            try:
                process.wait(timeout)
            except subprocess.TimeoutExpired:
                log(f"{name} did not stop in {timeout} s; killing it")
                try:
                    os.killpg(process.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                process.wait()

    def close(self):
        while self.children:
            name, process, stop_signal = self.children.pop()
            self.stop_child(name, process, stop_signal)
        while self.cleanups:
            try:
                self.cleanups.pop()()
            except Exception as error:  # stopping the rest matters more than one failure
                log(f"cleanup failed: {error!r}")
        if os.path.exists(os.path.join(self.pg_dir, "data", "postmaster.pid")):
            subprocess.run(
                ["runuser", "-u", "postgres", "--", f"{PG_BIN}/pg_ctl", "-D", f"{self.pg_dir}/data", "-m",
                 "immediate", "-w", "stop"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)

    # -- PostgreSQL -------------------------------------------------------------------------------------------

    def as_postgres(self, argv, **kwargs):
        return subprocess.run(["runuser", "-u", "postgres", "--"] + argv, check=True, **kwargs)

    def start_postgres(self):
        self.pg_port = free_port()
        os.makedirs(self.pg_dir)
        shutil.chown(self.pg_dir, "postgres", "postgres")
        pwfile = os.path.join(self.pg_dir, "pwfile")
        with open(pwfile, "w") as handle:
            handle.write(PG_PASSWORD + "\n")
        shutil.chown(pwfile, "postgres")
        self.as_postgres(
            [f"{PG_BIN}/initdb", "-D", f"{self.pg_dir}/data", "-U", "postgres", "--auth-local=trust",
             "--auth-host=scram-sha-256", f"--pwfile={pwfile}", "--no-sync"], stdout=subprocess.DEVNULL)
        with open(os.path.join(self.pg_dir, "data", "postgresql.conf"), "a") as conf:
            conf.write(
                f"listen_addresses = '127.0.0.1'\nport = {self.pg_port}\nunix_socket_directories = '{self.pg_dir}'\n"
                "fsync = off\nsynchronous_commit = off\nfull_page_writes = off\n"
                f"max_connections = {self.max_connections}\nmax_wal_size = 4GB\nshared_buffers = 256MB\n"
                "ssl = off\n"  # every path compares plaintext on its last leg; the broker's tunnel is TLS by design
            )
        self.as_postgres([f"{PG_BIN}/pg_ctl", "-D", f"{self.pg_dir}/data", "-l", f"{self.pg_dir}/server.log",
                          "-w", "-t", "60", "start"], stdout=subprocess.DEVNULL, start_new_session=True)
        self.psql_admin(
            f"SET password_encryption = 'scram-sha-256';"
            f"CREATE ROLE {PG_USER} LOGIN SUPERUSER PASSWORD '{PG_PASSWORD}';")
        self.psql_admin(f"CREATE DATABASE {PG_DATABASE} OWNER {PG_USER}")
        self.targets["direct"] = Target("direct", "direct", self.pg_port, PG_USER, PG_PASSWORD)
        log(f"PostgreSQL 15 on 127.0.0.1:{self.pg_port} (max_connections {self.max_connections})")

    def postmaster_pid(self):
        with open(os.path.join(self.pg_dir, "data", "postmaster.pid")) as handle:
            return int(handle.readline())

    def psql_admin(self, sql, database="postgres", capture=False):
        """Runs SQL as the superuser over the cluster's Unix socket (trust), outside every proxy."""
        result = subprocess.run(
            ["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-A", "-t", "-h", self.pg_dir, "-p", str(self.pg_port),
             "-U", "postgres", "-d", database, "-c", sql],
            check=False, capture_output=True, text=True)
        if result.returncode != 0:
            raise BenchError(f"psql failed on {sql[:80]!r}: {result.stderr.strip()}")
        return result.stdout.strip() if capture else None

    def pgbench_init(self, scale):
        log(f"pgbench -i -s {scale}")
        subprocess.run(["pgbench", "-i", "-q", "-s", str(scale), "-h", self.pg_dir, "-p", str(self.pg_port),
                        "-U", PG_USER, PG_DATABASE], check=True, capture_output=True)

    # -- identity provider and broker -------------------------------------------------------------------------

    def start_idp(self):
        process = self.spawn("idp", ["python3", os.path.join(self.root, "testing/idp/idp.py"), "--port", "0"])
        self.wait_for_log("idp", process, "idp ready")
        line = next(l for l in self.log_text("idp").splitlines() if "idp ready" in l)
        self.issuer = line.split("idp ready", 1)[1].strip()
        log(f"identity provider {self.issuer}")

    def broker_header(self, port):
        """A broker config up to its `resources:` key: where it listens, its data, and the test identity provider."""
        return (
            f"listen: 127.0.0.1:{port}\n"
            "data_dir: ./data\n"
            "admin_groups: [admins]\n"
            "identity:\n"
            f"  - issuer: {self.issuer}\n    audience: hoop\n    groups_claim: groups\n"
            "resources:\n")

    def broker_config(self):
        return (
            self.broker_header(self.broker_port) + (self.postgres_resources() if self.pg_port else "") +
            self.extra_resources +
            (f"postgres_direct:\n  listen: 127.0.0.1:{self.direct_port}\n" if self.direct else ""))

    def postgres_resources(self, direct=None):
        """The PostgreSQL resources, present when the run started PostgreSQL (a MySQL-only run does not); `pg-direct`
        only with `direct` (by default when the main broker has its direct-mode port)."""
        direct = self.direct if direct is None else direct
        common = (
            f"    address: 127.0.0.1:{self.pg_port}\n    database: {PG_DATABASE}\n    username: {PG_USER}\n"
            "    password_env: BENCH_PG_PASSWORD\n    tls: disable\n    max_session: 12h\n"
            "    allow_groups: [agents]\n")
        return (
            "  # The realistic policy: guardrails judged per statement, every detector masking results, recording.\n"
            "  - name: pg-policy\n    type: postgres\n" + common + GUARDRAILS + MASKING +
            ("  # The realistic policy again, also open to direct mode (clients on the broker's own port, TLS).\n"
             "  - name: pg-direct\n    type: postgres\n    allow_direct: true\n" + common + GUARDRAILS + MASKING
             if direct else "") +
            "  # The same target with recording only (no guardrails, no masking).\n"
            "  - name: pg-record\n    type: postgres\n" + common +
            "  # Bytes relayed and recorded as they are: the tunnel's cost without a protocol engine.\n"
            f"  - name: pg-tcp\n    type: tcp\n    address: 127.0.0.1:{self.pg_port}\n    max_session: 12h\n"
            "    allow_groups: [agents]\n")

    def start_broker(self, wrapper=(), ready_timeout=60, direct=False):
        """Starts the broker, optionally under a profiler (`wrapper` is the command line put in front of it); with
        `direct`, also its direct-mode PostgreSQL port (a build without direct mode refuses that config)."""
        self.direct = direct
        self.broker_port = free_port()
        self.direct_port = free_port()
        directory = os.path.join(self.work, "broker")
        os.makedirs(directory)
        with open(os.path.join(directory, "broker.yaml"), "w") as handle:
            handle.write(self.broker_config())
        env = dict(os.environ, BENCH_PG_PASSWORD=PG_PASSWORD, **self.extra_env)
        self.broker = self.spawn("broker", list(wrapper) + [self.hoopctl, "broker", "serve", "--config",
                                                            "broker.yaml"], env=env, cwd=directory)
        self.wait_for_log("broker", self.broker, "broker listening", timeout=ready_timeout)
        self.client_env = self.logged_in_client("client", self.broker_port,
                                                os.path.join(directory, "data", "tls", "ca.pem"))
        log(f"broker on 127.0.0.1:{self.broker_port} (pid {self.broker.pid}); logged in as ci-agent")

    def side_broker(self, name, resources, env=None, timeout=30):
        """A second broker for one section, with only `resources` (YAML list items), in work/NAME and logged to
        NAME.log: a build without that section's engine refuses this config alone, and the section says so rather
        than the whole run failing. Returns (process, environment of a client logged in to it), or (None, why not)
        when the broker would not start."""
        port = free_port()
        directory = os.path.join(self.work, name)
        os.makedirs(directory)
        with open(os.path.join(directory, "broker.yaml"), "w") as handle:
            handle.write(self.broker_header(port) + resources)
        process = self.spawn(name, [self.hoopctl, "broker", "serve", "--config", "broker.yaml"],
                             env=dict(os.environ, **(env or {})), cwd=directory)
        deadline = time.monotonic() + timeout
        while "broker listening" not in self.log_text(name):
            if process.poll() is not None:
                first = next((line for line in self.log_text(name).splitlines() if line.strip()), "exited")
                return None, f"this hoopctl build refuses the config ({first.strip()[:200]})"
            if time.monotonic() > deadline:
                return None, f"the broker did not start within {timeout} s"
            time.sleep(0.1)
        return process, self.logged_in_client(f"{name}-client", port,
                                              os.path.join(directory, "data", "tls", "ca.pem"))

    def logged_in_client(self, name, port, ca):
        """The environment of a `hoopctl` client of the broker (or load balancer) on `port`, whose CA is `ca`, with its
        own configuration in work/NAME, logged in as ci-agent (client credentials)."""
        env = dict(os.environ, XDG_CONFIG_HOME=os.path.join(self.work, name), HOOP_BROKER=f"https://127.0.0.1:{port}",
                   HOOP_CA=ca, HOOP_CLIENT_SECRET="ci-agent-secret")
        result = subprocess.run([self.hoopctl, "login", "--client-id", "ci-agent"], env=env, capture_output=True,
                                text=True)
        if result.returncode != 0:
            raise BenchError(f"hoopctl login ({name}, port {port}) failed: {result.stderr}")
        return env

    def connect(self, resource, name, label, user=None, password=None, targets=None, env=None, broker=None,
                log_name=None):
        """`hoopctl connect RESOURCE --port 0 --output json`, kept open; returns the target it forwards, also kept in
        `targets` (the PostgreSQL targets unless another engine's table is given). `env` and `broker` name a side
        broker's client environment and process instead of the main broker's; `log_name` the log when another
        forwarder of the same resource already writes connect-RESOURCE.log."""
        log_name = log_name or f"connect-{resource}"
        process = self.spawn(log_name,
                             [self.hoopctl, "connect", resource, "--port", "0", "--output", "json", "--reason",
                              "benchmark", "--duration", "12h"], env=env or self.client_env,
                             stop_signal=signal.SIGINT)
        self.wait_for_log(log_name, process, '"port"')
        line = next(l for l in self.log_text(log_name).splitlines() if '"port"' in l)
        details = json.loads(line)
        target = Target(name, label, details["port"], details.get("user") or user,
                        details.get("password") or password,
                        {"broker": (broker or self.broker).pid, "connect": process.pid})
        (self.targets if targets is None else targets)[name] = target
        return target

    def connect_direct(self, resource, name, label):
        """`hoopctl connect RESOURCE --direct --output json`, kept open to hold the session; returns the target on
        the broker's own PostgreSQL port (verify-full TLS against the broker's CA, no local forwarder)."""
        self.wait_for_log("broker", self.broker, "postgres direct listening")
        process = self.spawn(f"connect-{resource}",
                             [self.hoopctl, "connect", resource, "--direct", "--output", "json", "--reason",
                              "benchmark", "--duration", "12h"], env=self.client_env, stop_signal=signal.SIGINT)
        self.wait_for_log(f"connect-{resource}", process, '"env"')
        line = next(l for l in self.log_text(f"connect-{resource}").splitlines() if '"env"' in l)
        env = json.loads(line)["env"]
        target = Target(name, label, int(env["PGPORT"]), env["PGUSER"], env["PGPASSWORD"],
                        {"broker": self.broker.pid}, sslmode=env["PGSSLMODE"], sslrootcert=env["PGSSLROOTCERT"])
        self.targets[name] = target
        return target

    # -- reference proxies ------------------------------------------------------------------------------------

    def start_pgbouncer(self, tls=False):
        """pgbouncer in session mode; with `tls`, clients must use TLS (`client_tls_sslmode = require`), the fair
        peer for the broker path, whose hop from `hoopctl connect` is TLS because a real broker is on another host."""
        port = free_port()
        name = "pgbouncer-tls" if tls else "pgbouncer"
        directory = os.path.join(self.work, name)
        os.makedirs(directory)
        tls_settings = ""
        if tls:
            subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                            "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1", "-keyout", f"{directory}/key.pem",
                            "-out", f"{directory}/cert.pem"], check=True, capture_output=True)
            tls_settings = (f"client_tls_sslmode = require\nclient_tls_key_file = {directory}/key.pem\n"
                            f"client_tls_cert_file = {directory}/cert.pem\n")
        with open(os.path.join(directory, "userlist.txt"), "w") as handle:
            handle.write(f'"{PG_USER}" "{PG_PASSWORD}"\n')
        with open(os.path.join(directory, "pgbouncer.ini"), "w") as handle:
            handle.write(
                f"[databases]\n{PG_DATABASE} = host=127.0.0.1 port={self.pg_port} dbname={PG_DATABASE}\n"
                f"[pgbouncer]\nlisten_addr = 127.0.0.1\nlisten_port = {port}\nunix_socket_dir =\n"
                f"auth_type = scram-sha-256\nauth_file = {directory}/userlist.txt\npool_mode = session\n"
                f"max_client_conn = {self.max_connections}\ndefault_pool_size = {self.max_connections - 50}\n"
                "ignore_startup_parameters = extra_float_digits,options\nlog_connections = 0\n"
                "log_disconnections = 0\n" + tls_settings)
        for path in os.listdir(directory):
            shutil.chown(os.path.join(directory, path), "postgres")
        shutil.chown(directory, "postgres")
        # pgbouncer refuses to run as root; setpriv execs it directly, so the pid is pgbouncer's own.
        process = self.spawn(name, ["setpriv", "--reuid=postgres", "--regid=postgres", "--init-groups",
                                    "pgbouncer", f"{directory}/pgbouncer.ini"])
        wait_until(lambda: port_open(port) or process.poll() is not None, 30, name)
        if process.poll() is not None:
            raise BenchError(f"{name} exited:\n{self.log_text(name)}")
        label = "pgbouncer (session, client TLS)" if tls else "pgbouncer (session)"
        self.targets[name] = Target(name, label, port, PG_USER, PG_PASSWORD, {"proxy": process.pid},
                                    sslmode="require" if tls else "disable")

    def start_haproxy(self, name="haproxy", backend_port=None, user=PG_USER, password=PG_PASSWORD, targets=None):
        """haproxy in TCP mode in front of PostgreSQL, or of `backend_port` (another engine's server) under its own
        `name`, kept in `targets` (the PostgreSQL targets unless another table is given)."""
        port, process = self.haproxy(name, [backend_port or self.pg_port])
        (self.targets if targets is None else targets)["haproxy"] = Target(
            "haproxy", "haproxy (tcp)", port, user, password, {"proxy": process.pid})

    def haproxy(self, name, backends, checks=False):
        """haproxy in TCP mode on a free port in front of `backends` (ports on loopback), round-robin over them per
        connection; with `checks`, each is health-checked every 300 ms, as an operator runs it in front of brokers.
        Returns (port, process)."""
        port = free_port()
        path = os.path.join(self.work, f"{name}.cfg")
        check = " check inter 300ms fall 2 rise 2" if checks else ""
        servers = "".join(f"  server s{index + 1} 127.0.0.1:{backend}{check}\n" for index, backend in enumerate(backends))
        with open(path, "w") as handle:
            handle.write(
                f"global\n  maxconn {self.max_connections * 2}\n"
                "defaults\n  mode tcp\n  timeout connect 5s\n  timeout client 12h\n  timeout server 12h\n"
                f"frontend front\n  bind 127.0.0.1:{port}\n  default_backend back\n"
                f"backend back\n  balance roundrobin\n{servers}")
        process = self.spawn(name, ["haproxy", "-db", "-f", path])
        wait_until(lambda: port_open(port) or process.poll() is not None, 30, name)
        if process.poll() is not None:
            raise BenchError(f"{name} exited:\n{self.log_text(name)}")
        return port, process
