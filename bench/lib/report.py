"""The machine description and the two result files: markdown for people, JSON for tools."""

import json
import os
import platform
import subprocess

from . import plot


def _first_line(argv):
    try:
        result = subprocess.run(argv, capture_output=True, text=True, timeout=30)
        text = (result.stdout or result.stderr).strip()
        return text.splitlines()[0] if text else None
    except (OSError, subprocess.SubprocessError):
        return None


def machine(root, hoopctl):
    cpu = None
    with open("/proc/cpuinfo") as handle:
        for line in handle:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    with open("/proc/meminfo") as handle:
        memory_kb = int(handle.readline().split()[1])
    os_name = None
    with open("/etc/os-release") as handle:
        for line in handle:
            if line.startswith("PRETTY_NAME="):
                os_name = line.split("=", 1)[1].strip().strip('"')
    commit = _first_line(["git", "-C", root, "rev-parse", "HEAD"])
    dirty = bool(subprocess.run(["git", "-C", root, "status", "--porcelain", "--", "Sources", "Package.swift"],
                                capture_output=True, text=True).stdout.strip())
    return {
        "cpu": cpu, "cores": os.cpu_count(), "memory_gb": round(memory_kb / 1024 / 1024, 1), "os": os_name,
        "kernel": platform.release(), "git_commit": commit, "sources_modified": dirty,
        "hoopctl": hoopctl,
        # Set when the binary was given with HOOPCTL: then the commit above is the working tree's, not the binary's,
        # and HOOPCTL_COMMIT names the binary's own when known.
        "binary_from_env": bool(os.environ.get("HOOPCTL")),
        "binary_commit": os.environ.get("HOOPCTL_COMMIT") or (None if os.environ.get("HOOPCTL") else commit),
        "versions": {
            "postgres": _first_line(["/usr/lib/postgresql/15/bin/postgres", "--version"]),
            "pgbench": _first_line(["pgbench", "--version"]),
            "pgbouncer": _first_line(["pgbouncer", "--version"]),
            "haproxy": _first_line(["haproxy", "-v"]),
            "hyperfine": _first_line(["hyperfine", "--version"]),
            "gnuplot": _first_line(["gnuplot", "--version"]),
            "mariadb": _first_line(["mariadbd", "--version"]),
            "sysbench": _first_line(["sysbench", "--version"]),
            "swift": _first_line(["swift", "--version"]),
            "python": platform.python_version(),
        },
    }


def _f(value, digits=0, suffix=""):
    if value is None:
        return "–"
    return f"{value:,.{digits}f}{suffix}"


def _ratio(value, span=None):
    if value is None:
        return "–"
    text = f"{value:.2f}×"
    if span and span[0] is not None and span[0] != span[1]:
        text += f" ({span[0]:.2f}–{span[1]:.2f})"
    return text


def _cpu(row, key):
    parts = []
    for role in ("broker", "connect", "proxy"):
        value = row.get(f"{role}_{key}")
        if value is not None:
            parts.append(f"{role} {value:.0f}")
    return ", ".join(parts) or "–"


def _pgbench_row(r, leading, cpu_key):
    """A pgbench table row: the cell's coordinates (`leading` keys), then the path's figures."""
    return ("| " + " | ".join(str(r[key]) for key in leading) + f" | {r['label']} | {_f(r['tps'])} | "
            f"{_ratio(r['tps_ratio'], r['tps_ratio_range'])} | {_f(r['avg_ms'], 3)} | {_f(r['p99_ms'], 3)} | "
            f"{_ratio(r['p99_ms_ratio'])} | {_cpu(r, cpu_key)} |")


def sweep_plot(rows, path, title, xlabel, x_key, variant_key, variant_name, panels):
    """Figures against a number (`x_key`) on a log2 axis, one line per path (a colour each) and variant (a dash
    each: a protocol, a file), the variant named in the legend only when there are several. `panels` are
    (plot.Panel, y key) pairs. Returns what the report records: the SVG's file name, or why there is none."""
    variants = sorted({row[variant_key] for row in rows})
    targets = list(dict.fromkeys(row["target"] for row in rows))
    series = {}
    for row in rows:
        name = row["label"] + (f" {variant_name(row[variant_key])}" if len(variants) > 1 else "")
        series.setdefault((name, targets.index(row["target"]) + 1, variants.index(row[variant_key]) + 1),
                          []).append(row)
    for (name, colour, dash), group in series.items():
        for panel, key in panels:
            panel.line(name, [(row[x_key], row[key]) for row in group], colour, dash)
    title += f" ({variant_name(variants[0])})" if len(variants) == 1 else ""
    missing = plot.draw(path, title, xlabel, sorted({row[x_key] for row in rows}), [panel for panel, _ in panels])
    return {"missing": missing} if missing else {"file": os.path.basename(path)}


def clients_plot(section, path):
    """TPS and p99 against the number of clients, one line per path (and protocol, when several were run)."""
    return sweep_plot(section["rows"], path, "pgbench -S by number of clients", "clients (pgbench -c, -j 2)",
                      "clients", "protocol", lambda protocol: f"-M {protocol}",
                      [(plot.Panel("TPS", "transactions per second"), "tps"),
                       (plot.Panel("p99 latency", "p99 ms (log scale)", log_y=True), "p99_ms")])


def http_plot(section, path):
    """Requests per second and p99 against wrk's connections, one line per path (and file, when several)."""
    return sweep_plot(section["rows"], path, "wrk by number of connections", "connections (wrk -c, -t1)",
                      "connections", "file", str,
                      [(plot.Panel("requests/s", "requests per second"), "rps"),
                       (plot.Panel("p99 latency", "p99 ms (log scale)", log_y=True), "p99_ms")])


def _table(title, section, intro, header, rows):
    """A section: its heading, load note and notes, optional intro lines, then a markdown table."""
    return ([f"## {title}", "", f"_{_load(section)}._ " + " ".join(section["notes"]), ""] + intro
            + header.split("\n") + rows + [""])


def _load(section):
    start, end = section.get("load_start"), section.get("load_end")
    return f"load average {start[0]:.2f} → {end[0]:.2f} (1 min), {section.get('duration_s', 0):.0f} s"


# The broker paths the headline quotes, and what it calls them.
HEADLINE_PATHS = {"broker-policy": "broker", "broker-direct": "broker direct mode"}


def headline(results):
    """The few numbers worth quoting: broker vs direct and vs the reference proxies."""
    lines = []
    pg = results["sections"].get("pgbench")
    if pg:
        for row in pg["rows"]:
            if row["target"] in HEADLINE_PATHS and row["protocol"] == "simple":
                proxies = {r["target"]: r for r in pg["rows"] if (r["workload"], r["clients"], r["protocol"]) ==
                           (row["workload"], row["clients"], row["protocol"])}
                extra = ", ".join(f"{name} {proxies[name]['tps_ratio']:.2f}×" for name in ("pgbouncer", "pgbouncer-tls", "haproxy")
                                  if name in proxies and proxies[name]["tps_ratio"] is not None)
                lines.append(
                    f"pgbench {row['workload']} -c {row['clients']}: {HEADLINE_PATHS[row['target']]} "
                    f"{row['tps_ratio']:.2f}× direct TPS "
                    f"({row['tps']:,.0f} tps, p99 {row['p99_ms']:.2f} ms, broker CPU "
                    f"{row.get('broker_cpu_us_per_stmt') or 0:.0f} µs/statement)" + (f"; {extra}" if extra else ""))
    sweep = results["sections"].get("clients")
    if sweep:
        for protocol in sorted({row["protocol"] for row in sweep["rows"]}):
            by_target = {}
            for row in sweep["rows"]:
                if row["protocol"] == protocol and row["target"] != "direct":
                    by_target.setdefault(row["target"], []).append(row)
            counts = "/".join(str(row["clients"]) for row in next(iter(by_target.values()), []))
            lines.append(f"pgbench -S -M {protocol} at -c {counts}, TPS × direct: " + "; ".join(
                f"{name} " + "/".join(_ratio(row["tps_ratio"]) for row in rows) for name, rows in by_target.items()))
    large = results["sections"].get("large")
    if large:
        for row in large["rows"]:
            if row["target"] != "direct":
                lines.append(f"{row['test']} {row['mb']:.0f} MB via {row['label']}: {row['mb_per_s']:.0f} MB/s "
                             f"({row['ratio']:.2f}× direct), broker peak RSS {row['broker_peak_rss_mb']:.0f} MB")
    connections = results["sections"].get("connections")
    if connections:
        for row in connections["rows"]:
            if row["target"] in HEADLINE_PATHS:
                lines.append(f"new connections: {HEADLINE_PATHS[row['target']]} {row['per_s']:.0f}/s "
                             f"({row['ratio']:.2f}× direct)")
        timing = connections["exec"]["timing"]
        lines.append(f"hoopctl exec 'select 1': {timing['hoopctl exec']['median_ms']:.0f} ms median "
                     f"(psql direct {timing['psql direct']['median_ms']:.0f} ms)")
    for row in mysql_comparison(results):
        if row["protocol"] != "auto":  # the prepared-statement cells (sysbench's default) stand for the section
            continue
        lines.append(f"sysbench {row['workload']} -t {row['clients']} ps={row['protocol']}: broker "
                     f"{_ratio(row['mysql'])} direct TPS, {_ratio(row['mysql_haproxy'])} haproxy; PostgreSQL "
                     f"engine on pgbench {row['pg_workload']} -M {row['pg_protocol']}: {_ratio(row['postgres'])} "
                     f"direct ({row['source']})")
    http = results["sections"].get("http")
    if http:
        for row in http["rows"]:
            if row["target"] != "direct":
                lines.append(f"wrk {row['file']} -c {row['connections']}: {row['label']} "
                             f"{_ratio(row['rps_ratio'])} direct requests/s ({row['rps']:,.0f}/s, p99 "
                             f"{row['p99_ms']:.2f} ms)")
    scale_out = results["sections"].get("scale-out")
    if scale_out:
        for row in scale_out.get("grants", []):
            if row["operation"] == "grant":
                lines.append(f"session grants, {row['label']}: {row['per_s']:,.0f}/s "
                             f"({_ratio(row['ratio_sqlite'])} SQLite), {row['audit_per_s']:,.0f} audit appends/s, "
                             f"p99 {row['p99_ms']:.1f} ms")
        for row in scale_out.get("pgbench", []):
            if row["target"] != "direct":
                lines.append(f"pgbench -S -c {row['clients']}, {row['label']}: {row['tps']:,.0f} tps "
                             f"({_ratio(row['tps_ratio'])} direct, {_ratio(row['ratio_pg1'])} one PostgreSQL-store "
                             "broker)")
    scale = results["sections"].get("scale")
    if scale:
        idle, busy = scale["idle"], scale["busy"]
        lines.append(f"{idle['connections']} idle sessions: broker RSS {idle['broker_rss_mb']:.0f} MB "
                     f"({idle['broker_rss_per_session_kb']:.0f} kB/session), idle CPU "
                     f"{idle['broker_cpu_cores_idle'] * 100:.1f}% of a core")
        lines.append(f"{busy['clients']} busy clients: broker {busy['ratio']:.2f}× direct TPS, peak RSS "
                     f"{busy['broker_peak_rss_mb']:.0f} MB, {busy['broker_cpu_cores'] or 0:.2f} cores")
    return lines


def mysql_comparison(results):
    """The MySQL engine's broker-policy ratios beside the PostgreSQL engine's on the closest pgbench cell: from
    this run's pgbench section when it ran, otherwise from the latest committed full result file (named)."""
    from .mysqlbench import PG_COUNTERPART, PG_PROTOCOL

    mysql = results["sections"].get("mysql")
    if not mysql or not mysql["rows"]:
        return []
    if results["sections"].get("pgbench", {}).get("rows"):
        pg_rows, source = results["sections"]["pgbench"]["rows"], "this run"
    elif mysql.get("postgres_reference"):
        pg_rows, source = mysql["postgres_reference"]["rows"], mysql["postgres_reference"]["source"]
    else:
        pg_rows, source = [], "no PostgreSQL result"
    pg = {(r["workload"], r["clients"], r["protocol"], r["target"]): r for r in pg_rows}
    out = []
    for row in mysql["rows"]:
        if row["target"] != "broker-policy":
            continue
        workload, protocol = PG_COUNTERPART.get(row["workload"]), PG_PROTOCOL.get(row["protocol"])
        broker = pg.get((workload, row["clients"], protocol, "broker-policy"))
        haproxy = pg.get((workload, row["clients"], protocol, "haproxy"))
        out.append({
            "workload": row["workload"], "clients": row["clients"], "protocol": row["protocol"],
            "pg_workload": workload, "pg_protocol": protocol, "source": source,
            "mysql": row["tps_ratio"], "mysql_range": row["tps_ratio_range"], "mysql_haproxy": row["haproxy_ratio"],
            "postgres": broker["tps_ratio"] if broker else None,
            # The PostgreSQL rows keep no per-repetition ratio to haproxy: the ratio of the two median TPS.
            "postgres_haproxy": broker["tps"] / haproxy["tps"] if broker and haproxy and haproxy["tps"] else None,
        })
    return out


def _errors(row):
    """sysbench's ignored errors (deadlocks and lock waits, 1213/1205/1020), and reconnects when there were any."""
    return f"{row['errors']}" + (f" ({row['reconnects']} reconnects)" if row.get("reconnects") else "")


def _mysql_tables(s, results):
    out = _table(
        f"MySQL: sysbench through the MySQL engine ({s.get('mariadb', 'MariaDB')})", s,
        [f"What `SELECT c FROM sbtest1 WHERE id = 1` returns directly and through `my-policy`: "
         + "; ".join(f"{name} `{value}`" for name, value in s.get("masked_sample", {}).items()), ""],
        "| workload | threads | ps | path | TPS | × direct (range) | × haproxy | QPS | avg ms | p95 ms "
        "| p95 × direct | errors | CPU µs/query |\n|---|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|",
        [f"| {r['workload']} | {r['clients']} | {r['protocol']} | {r['label']} | {_f(r['tps'])} | "
         f"{_ratio(r['tps_ratio'], r['tps_ratio_range'])} | {_ratio(r.get('haproxy_ratio'))} | {_f(r['qps'])} | "
         f"{_f(r['avg_ms'], 2)} | {_f(r['p95_ms'], 2)} | {_ratio(r['p95_ms_ratio'])} | "
         f"{_errors(r)} | "
         f"{_cpu(r, 'cpu_us_per_stmt')} |" for r in s["rows"]])
    comparison = mysql_comparison(results)
    if comparison:
        source = comparison[0]["source"]
        out += ["### The MySQL engine against the PostgreSQL engine's ratio", "",
                "Broker with masking, guardrails and recording (`my-policy` / `pg-policy`), TPS × direct and × "
                "haproxy, on the closest pgbench cell (point select ↔ `-S`, read/write ↔ TPC-B-like, prepared ↔ "
                f"`-M prepared`, text ↔ `-M simple`). PostgreSQL figures: {source}"
                + ("" if source == "this run" else " (another run, another load: compare loosely)")
                + "; its × haproxy is the ratio of the two median TPS.", "",
                "| sysbench | -t | ps | pgbench | MySQL × direct | PostgreSQL × direct | MySQL × haproxy "
                "| PostgreSQL × haproxy | at least PostgreSQL's ratio |",
                "|---|---|---|---|---:|---:|---:|---:|---|"]
        for c in comparison:
            reached = ("–" if c["mysql"] is None or c["postgres"] is None
                       else "yes" if c["mysql"] >= c["postgres"] else "no")
            out.append(f"| {c['workload']} | {c['clients']} | {c['protocol']} | {c['pg_workload']} -M "
                       f"{c['pg_protocol']} | {_ratio(c['mysql'], c['mysql_range'])} | {_ratio(c['postgres'])} | "
                       f"{_ratio(c['mysql_haproxy'])} | {_ratio(c['postgres_haproxy'])} | {reached} |")
        out.append("")
    recording = s.get("recording")
    if recording and recording["brokered_queries"]:
        out += [f"Recordings written during the measured runs: {recording['bytes'] / 1e6:,.0f} MB for "
                f"{recording['brokered_queries']:,} queries through the broker, "
                f"{recording['bytes_per_query']:,.0f} bytes per query (up to `record_rows`, 100, result rows kept "
                "per statement; a range select returns 100).", ""]
    findings = s.get("broker_log") or []
    out += ["Broker log during the section (warnings, errors, resets, refusals by message): "
            + ("; ".join(f"{f['count']}× `{f['message']}`" for f in findings) if findings else "none") + ".",
            ""]
    if s.get("mariadb_log_errors"):
        out += ["MariaDB errors: " + "; ".join(f"`{line}`" for line in s["mariadb_log_errors"]), ""]
    return out


def _http_tables(s):
    chart = s.get("plot", {})
    drawn = (f"![requests/s and p99 by connections]({chart['file']})" if chart.get("file")
             else f"_No plot: {chart.get('missing', 'not drawn')}._")
    samples = s.get("samples", {})
    intro = [drawn, "", "Files: " + ", ".join(f"`{name}` {size:,} bytes" for name, size in s.get("files", {}).items())
             + ". What each path answers (first bytes): "
             + "; ".join(f"{name} {sample['status']} `{sample['body'][:120]}`" for name, sample in samples.items())
             + "."]
    if s.get("guardrail_sample"):
        intro.append(f"`DELETE /v1/users/1` through the broker (the guardrail `no-deletes`): "
                     f"{s['guardrail_sample']['status']} `{s['guardrail_sample']['body'][:120]}`.")
    out = _table(
        "HTTP: wrk through nginx and the broker's http resource", s, intro + [""],
        "| file | -c | path | requests/s | × direct (range) | p50 ms | p99 ms | p99 × direct | errors "
        "| CPU µs/request |\n|---|---|---|---:|---:|---:|---:|---:|---:|---|",
        [f"| {r['file']} | {r['connections']} | {r['label']} | {_f(r['rps'])} | "
         f"{_ratio(r['rps_ratio'], r['rps_ratio_range'])} | {_f(r['p50_ms'], 3)} | {_f(r['p99_ms'], 3)} | "
         f"{_ratio(r['p99_ms_ratio'])} | {r['errors']} | {_cpu(r, 'cpu_us_per_request')} |" for r in s["rows"]])
    if s.get("nginx_errors"):
        out += ["nginx errors: " + "; ".join(f"`{line}`" for line in s["nginx_errors"]), ""]
    return out


def _scale_out_tables(s):
    """The scale-out section: grants and revokes per path, then pgbench -S through each path."""
    grants = s.get("grants", [])
    out = ["## Scale-out: one and three brokers on a shared PostgreSQL store", "",
           f"_{_load(s)}._ " + " ".join(s["notes"]), "",
           "### Session grants and audit appends", "",
           "| operation | path | per s | × SQLite (range) | × 1 PG broker (range) | p50 ms | p99 ms "
           "| audit appends/s | events/op | CPU cores: brokers / haproxy / PostgreSQL / clients "
           "| broker CPU ms/op | failed |",
           "|---|---|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|"]
    for r in grants:
        cores = " / ".join(_f(r[key], 2) for key in ("broker_cpu_cores", "proxy_cpu_cores", "postgres_cpu_cores",
                                                      "client_cpu_cores"))
        out.append(f"| {r['operation']} | {r['label']} | {_f(r['per_s'])} | "
                   f"{_ratio(r['ratio_sqlite'], r['ratio_sqlite_range'])} | "
                   f"{_ratio(r['ratio_pg1'], r['ratio_pg1_range'])} | {_f(r['p50_ms'], 2)} | {_f(r['p99_ms'], 2)} | "
                   f"{_f(r['audit_per_s'])} | {_f(r['events_per_op'], 2)} | {cores} | "
                   f"{_f(r['broker_cpu_ms_per_op'], 2)} | {r['failed']} |")
    failures = [f for r in grants for f in r.get("failures", [])]
    if failures:
        out += ["", "First failures: " + "; ".join(f"`{f}`" for f in failures[:5])]
    out += ["", "### pgbench -S through one broker and through three", "",
            "| -c | -M | path | TPS | × direct (range) | × 1 PG broker (range) | avg ms | p99 ms "
            "| CPU µs/statement: brokers / connect / haproxy |",
            "|---|---|---|---:|---:|---:|---:|---:|---|"]
    for r in s.get("pgbench", []):
        cpu = " / ".join(_f(r.get(key)) for key in ("brokers_cpu_us_per_stmt", "connect_cpu_us_per_stmt",
                                                     "proxy_cpu_us_per_stmt"))
        out.append(f"| {r['clients']} | {r['protocol']} | {r['label']} | {_f(r['tps'])} | "
                   f"{_ratio(r['tps_ratio'], r['tps_ratio_range'])} | {_ratio(r['ratio_pg1'], r['ratio_pg1_range'])} "
                   f"| {_f(r['avg_ms'], 3)} | {_f(r['p99_ms'], 3)} | {cpu} |")
    return out + [""]


def markdown(results):
    m = results["machine"]
    out = [f"# hoopctl benchmark — {results['started']}{' (quick)' if results['quick'] else ''}", ""]
    out += [f"- Machine: {m['cpu']}, {m['cores']} cores, {m['memory_gb']} GB, {m['os']}, kernel {m['kernel']}",
            f"- Build: release `{m['hoopctl']}`" + (" (given by HOOPCTL)" if m.get("binary_from_env") else "")
            + f", built from commit `{m.get('binary_commit') or 'unknown'}`"
            + f"; working tree at commit `{m['git_commit']}`"
            + (" with local changes under Sources/" if m["sources_modified"] else ""),
            "- Versions: " + "; ".join(f"{k} {v}" for k, v in m["versions"].items() if v),
            f"- Load average: {results['load_start']} at start, {results['load_end']} at end "
            "(shared machine: other jobs were running; treat absolute numbers as noisy, ratios as the result)",
            f"- Settings: `{json.dumps(results['settings'], sort_keys=True)}`",
            f"- Total time: {results['duration_s']:.0f} s", ""]
    out += ["## Headline", ""] + [f"- {line}" for line in headline(results)] + [""]
    sections = results["sections"]
    if "pgbench" in sections:
        s = sections["pgbench"]
        out += _table(
            "PostgreSQL: pgbench", s, [],
            "| workload | -c | -M | path | TPS | × direct (range) | avg ms | p99 ms | p99 × direct "
            "| CPU µs/statement |\n|---|---|---|---|---:|---:|---:|---:|---:|---|",
            [_pgbench_row(r, ("workload", "clients", "protocol"), "cpu_us_per_stmt") for r in s["rows"]])
    if "clients" in sections:
        s = sections["clients"]
        chart = s.get("plot", {})
        drawn = (f"![TPS and p99 by number of clients]({chart['file']})" if chart.get("file")
                 else f"_No plot: {chart.get('missing', 'not drawn')}._")
        out += _table(
            "PostgreSQL: clients sweep (pgbench -S)", s, [drawn, ""],
            "| -c | -M | path | TPS | × direct (range) | avg ms | p99 ms | p99 × direct "
            "| CPU µs/statement (steady) |\n|---|---|---|---:|---:|---:|---:|---:|---|",
            [_pgbench_row(r, ("clients", "protocol"), "steady_cpu_us_per_stmt") for r in s["rows"]])
    if "large" in sections:
        s = sections["large"]
        out += _table(
            "Large results", s,
            [f"Broker RSS before the section: {s['broker_rss_before_mb']:.0f} MB. What the masked resource "
             f"returns for one row: `{s.get('masked_sample', '')}`", ""],
            "| test | path | MB/s | × direct (range) | seconds | broker peak RSS MB | broker CPU s/GB |\n"
            "|---|---|---:|---:|---:|---:|---:|",
            [f"| {r['test']} | {r['label']} | {_f(r['mb_per_s'], 1)} | "
             f"{_ratio(r['ratio'], r['ratio_range'])} | {_f(r['seconds'], 1)} | "
             f"{_f(r.get('broker_peak_rss_mb'))} | {_f(r.get('broker_cpu_s_per_gb'), 1)} |"
             for r in s["rows"]])
    if "connections" in sections:
        s = sections["connections"]
        out += ["## Connections", "", f"_{_load(s)}._ " + " ".join(s["notes"]), "",
                "| path | connections/s | × direct (range) | ms per connection | CPU µs/connection |",
                "|---|---:|---:|---:|---|"]
        for r in s["rows"]:
            # pgbench's per-transaction latency leaves the connection out, so the cycle time is 1 / rate.
            out.append(f"| {r['label']} | {_f(r['per_s'])} | {_ratio(r['ratio'], r['ratio_range'])} | "
                       f"{_f(1000 / r['per_s'] if r['per_s'] else None, 1)} | {_cpu(r, 'cpu_us_per_tx')} |")
        e = s["exec"]
        out += ["", f"End-to-end wall time ({e['tool']}; {e['note']})", "",
                "| command | median ms | min ms | max ms | runs |", "|---|---:|---:|---:|---:|"]
        for name, t in e["timing"].items():
            out.append(f"| {name} | {_f(t['median_ms'], 1)} | {_f(t['min_ms'], 1)} | {_f(t['max_ms'], 1)} | "
                       f"{t['runs']} |")
        out.append("")
    if "scale" in sections:
        s = sections["scale"]
        i, b = s["idle"], s["busy"]
        out += ["## Scale", "", f"_{_load(s)}._ " + " ".join(s["notes"]), "",
                "| measure | value |", "|---|---:|",
                f"| idle sessions asked for / open (target backends seen) | {i['connections']} / {i['opened']} "
                f"({i['target_backends']}) |",
                f"| time to open them (8 at a time) | {_f(i['open_seconds'], 1)} s |",
                f"| broker CPU per session opened | {_f(i['broker_cpu_ms_per_open'], 2)} ms |",
                f"| broker RSS before → with all idle → after closing | {_f(i['broker_rss_before_mb'])} → "
                f"{_f(i['broker_rss_mb'])} → {_f(i['broker_rss_after_close_mb'])} MB |",
                f"| broker RSS per idle session | {_f(i['broker_rss_per_session_kb'])} kB |",
                f"| broker threads before → with all idle | {i['broker_threads_before']} → {i['broker_threads']} |",
                f"| broker / connect CPU while all idle | {_f(i['broker_cpu_cores_idle'] * 100, 2)}% / "
                f"{_f(i['connect_cpu_cores_idle'] * 100, 2)}% of a core |",
                f"| hoopctl connect RSS before → with all idle | {_f(i['connect_rss_before_mb'])} → "
                f"{_f(i['connect_rss_mb'])} MB |",
                f"| idle sessions answering `select 1` afterwards | {i['probes_answered']} of {i['probes']} |",
                f"| {b['clients']} busy clients: TPS direct / broker | {_f(b['direct_tps'])} / {_f(b['broker_tps'])} "
                f"({_ratio(b['ratio'])}) |",
                f"| {b['clients']} busy clients: p99 ms direct / broker | {_f(b['direct_p99_ms'], 2)} / "
                f"{_f(b['broker_p99_ms'], 2)} |",
                f"| {b['clients']} busy clients: broker peak RSS | {_f(b['broker_peak_rss_mb'])} MB |",
                f"| {b['clients']} busy clients: TPS in the measured window direct / broker | "
                f"{_f(b.get('direct_window_tps'))} / {_f(b.get('broker_window_tps'))} ({_f(b.get('window_s'))} s) |",
                f"| {b['clients']} busy clients: broker / connect CPU in the window | {_f(b['broker_cpu_cores'], 2)} / "
                f"{_f(b['connect_cpu_cores'], 2)} cores ({_f(b['broker_cpu_us_per_tx'])} µs/statement) |", ""]
    if "scale-out" in sections:
        out += _scale_out_tables(sections["scale-out"])
    if "mysql" in sections:
        out += _mysql_tables(sections["mysql"], results)
    if "ssh" in sections:
        s = sections["ssh"]
        out += ["## SSH", ""]
        if s.get("available"):
            e, st = s["exec_true"], s["stream"]
            out += ["| measure | direct | broker |", "|---|---:|---:|",
                    f"| `ssh host true` median ms | {_f(e['direct_ms'], 1)} | {_f(e['broker_ms'], 1)} |",
                    f"| `head -c {st['mb']}MB /dev/zero` MB/s | {_f(st['direct_mb_per_s'], 1)} | "
                    f"{_f(st['broker_mb_per_s'], 1)} |", ""]
        out += [" ".join(s["notes"]), ""] if s["notes"] else []
    if "mcp" in sections:
        s = sections["mcp"]
        out += ["## MCP", "", "Sequential `tools/call` of `search_tickets` in one session per run, sessions interleaved.", "",
                "| path | calls | session setup ms | p50 ms | p95 ms | calls/s | ratio |", "|---|---:|---:|---:|---:|---:|---:|"]
        for r in s.get("rows", []):
            out.append(f"| {r['path']} | {r['calls']} | {_f(r['setup_ms'], 1)} | {_f(r['p50_ms'], 2)} | "
                       f"{_f(r['p95_ms'], 2)} | {_f(r['calls_per_s'])} | {_ratio(r['throughput_ratio'])} |")
        out += [""] + ([" ".join(s["notes"]), ""] if s["notes"] else [])
    if "http" in sections:
        out += _http_tables(sections["http"])
    if results.get("errors"):
        out += ["## Sections that failed", ""] + [f"- {e}" for e in results["errors"]] + [""]
    return "\n".join(out)


def write(results, directory, stamp, suffix=""):
    """Writes <stamp>[-quick]<suffix>.md and .json (the suffix names the sections of a partial run)."""
    os.makedirs(directory, exist_ok=True)
    base = os.path.join(directory, f"{stamp}{'-quick' if results['quick'] else ''}{suffix}")
    if results["sections"].get("clients", {}).get("rows"):
        results["sections"]["clients"]["plot"] = clients_plot(results["sections"]["clients"], base + "-clients.svg")
    if results["sections"].get("http", {}).get("rows"):
        results["sections"]["http"]["plot"] = http_plot(results["sections"]["http"], base + "-http.svg")
    with open(base + ".json", "w") as handle:
        json.dump(results, handle, indent=1, sort_keys=True)
        handle.write("\n")
    text = markdown(results)
    with open(base + ".md", "w") as handle:
        handle.write(text + "\n")
    return base, text
