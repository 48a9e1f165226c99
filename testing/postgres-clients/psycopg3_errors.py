#!/usr/bin/env python3
"""psycopg 3's error paths against one PostgreSQL endpoint, so a direct run and a run through the broker compare.

    psycopg3_errors.py HOST PORT USER PASSWORD DBNAME

Each case starts from fresh tables `items (id int primary key, label text)` and `copied (id int, label text)`, does
what an application does — executemany in pipeline mode with a row that violates the primary key, COPY FROM STDIN
whose producer raises mid-stream (psycopg then sends CopyFail), a COPY the server itself rejects — and prints one
JSON object per line: the case, the exception that reached the application (class, SQLSTATE, primary message), the
connection's transaction status afterwards, what the next statement on the same connection did, and the tables'
rows at the end. Exit status 0 whatever the outcomes (the caller compares); 2 on bad usage.
"""

import json
import sys

import psycopg
from psycopg import errors


# What a case noted on the way (an error it caught, rows returned before the failure), reported with its outcome.
NOTES = {}


class ProducerFailed(Exception):
    """What the application's row producer raises in the middle of a COPY."""


def outcome(exc):
    if exc is None:
        return None
    diag = getattr(exc, "diag", None)
    return {
        "class": type(exc).__name__,
        "sqlstate": getattr(exc, "sqlstate", None),
        "message": diag.message_primary if diag is not None else str(exc),
    }


def rows(conn):
    with conn.cursor() as cur:
        cur.execute("select 'items', id, label from items union all select 'copied', id, label from copied order by 1, 2")
        return [list(row) for row in cur.fetchall()]


def reset(conn):
    conn.execute("drop table if exists items")
    conn.execute("create table items (id int primary key, label text)")
    conn.execute("drop table if exists copied")
    conn.execute("create table copied (id int, label text)")


def next_statement(conn):
    """What a statement right after the failure does: its result, or the error it raised."""
    try:
        return {"result": conn.execute("select 1").fetchone()[0]}
    except psycopg.Error as exc:
        return {"error": outcome(exc)}


def many_rows(count, fail_at=None):
    for n in range(count):
        if n == fail_at:
            raise ProducerFailed(f"the producer broke at row {n}")
        yield (n, f"row {n} " + "x" * 40)


# Each case gets a connection (autocommit off unless it says) and returns the exception it let through.


def pipeline_executemany(conn):
    conn.autocommit = True
    with conn.cursor() as cur:
        with conn.pipeline():
            cur.executemany(
                "insert into items values (%s, %s)", [(1, "one"), (2, "two"), (1, "duplicate"), (3, "three")]
            )


def pipeline_executemany_in_transaction(conn):
    with conn.cursor() as cur:
        with conn.pipeline():
            cur.execute("insert into items values (%s, %s)", (100, "before"))
            cur.executemany("insert into items values (%s, %s)", [(101, "a"), (100, "duplicate"), (102, "b")])


def pipeline_returning(conn):
    conn.autocommit = True
    seen = []
    try:
        with conn.cursor() as cur:
            with conn.pipeline():
                cur.executemany(
                    "insert into items values (%s, %s) returning id * 10",
                    [(1, "one"), (2, "two"), (2, "duplicate")],
                    returning=True,
                )
                while True:
                    seen.append(cur.fetchone())
                    if not cur.nextset():
                        break
    finally:
        NOTES["returned"] = [list(row) if row else None for row in seen]


def pipeline_syncs(conn):
    """Three groups separated by Syncs; the middle one fails, and the last runs after it.

    Each group is a nested pipeline block: leaving one sends its Sync and waits for all of its results, so the
    error is raised there every time. A bare pipeline.sync() only processes the results already arrived, and
    whether the error is among them depends on timing (it would then surface at a later execute instead).
    """
    conn.autocommit = True
    with conn.cursor() as cur:
        with conn.pipeline():
            with conn.pipeline():
                cur.execute("insert into items values (%s, %s)", (10, "first"))
            try:
                with conn.pipeline():
                    cur.execute("insert into items values (%s, %s)", (11, "second"))
                    cur.execute("insert into items values (%s, %s)", (10, "duplicate"))
                    cur.execute("insert into items values (%s, %s)", (12, "skipped"))
            except errors.UniqueViolation as exc:
                NOTES["first_error"] = outcome(exc)
            with conn.pipeline():
                cur.execute("insert into items values (%s, %s)", (13, "third"))


def copy_producer_raises(conn):
    with conn.cursor() as cur:
        with cur.copy("copy copied (id, label) from stdin") as copy:
            for row in many_rows(20000, fail_at=15000):
                copy.write_row(row)


def copy_producer_raises_autocommit(conn):
    conn.autocommit = True
    copy_producer_raises(conn)


def copy_raises_before_rows(conn):
    with conn.cursor() as cur:
        with cur.copy("copy copied from stdin"):
            raise ProducerFailed("nothing to send after all")


def copy_rejected_by_server(conn):
    with conn.cursor() as cur:
        with cur.copy("copy copied (id, label) from stdin") as copy:
            copy.write_row((1, "one"))
            copy.write("not-a-number\tbad\n")
            for row in many_rows(5000):
                copy.write_row(row)


def copy_succeeds(conn):
    with conn.cursor() as cur:
        with cur.copy("copy copied (id, label) from stdin") as copy:
            for row in many_rows(3):
                copy.write_row(row)
    conn.commit()


CASES = [
    pipeline_executemany,
    pipeline_executemany_in_transaction,
    pipeline_returning,
    pipeline_syncs,
    copy_producer_raises,
    copy_producer_raises_autocommit,
    copy_raises_before_rows,
    copy_rejected_by_server,
    copy_succeeds,
]


def main():
    if len(sys.argv) != 6:
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    host, port, user, password, dbname = sys.argv[1:]
    params = dict(host=host, port=port, user=user, password=password, dbname=dbname, sslmode="disable")
    for case in CASES:
        with psycopg.connect(**params, autocommit=True) as setup:
            reset(setup)
        conn = psycopg.connect(**params)
        NOTES.clear()
        raised = None
        try:
            case(conn)
        except Exception as exc:  # what the application sees, whatever it is
            raised = exc
        report = {
            "case": case.__name__,
            "raised": outcome(raised),
            "status": conn.info.transaction_status.name,
            "next": next_statement(conn),
        }
        report.update(NOTES)
        if not conn.autocommit:
            conn.rollback()
        report["rows"] = rows(conn)
        conn.close()
        print(json.dumps(report, sort_keys=True), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
