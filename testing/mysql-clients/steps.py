#!/usr/bin/env python3
"""Runs a list of steps over one MySQL connection with a real driver and prints what each step returned, as JSON.

The end-to-end tests drive the broker's MySQL engine with it the way applications do (PyMySQL, and
mysql-connector-python pure and with its C extension), and send what no well-behaved driver would: raw command
packets, statement bytes in another character set, a changed user, a local file the server asks for.

    steps.py DRIVER HOST PORT USER PASSWORD DATABASE [CHARSET] < steps.json

DRIVER is pymysql, connector-pure or connector-c. stdin holds a JSON list of steps; stdout is a JSON list with one
outcome per step: {"columns": [...], "rows": [[...]], "affected": n} per result set in "results", or "error" with
the server's number, SQLSTATE (where the driver reports it) and message. A lost connection is reported as an error
and the next step reconnects, so one refusal that ends a connection does not hide the steps after it.

Steps:
    {"query": "sql", "params": [...]}    text protocol (params: the driver's %s substitution); every result set
    {"raw": "hex"}                       COM_QUERY with exactly these bytes (pymysql)
    {"command": 4, "payload": "hex"}     any command byte and payload; packets are read to OK, EOF or ERR (pymysql)
    {"prepared": "sql", "params": [...]} binary protocol (mysql-connector cursor(prepared=True))
    {"select_db": "name"}                COM_INIT_DB
    {"change_user": "user", "password": "p"}  COM_CHANGE_USER (mysql-connector)
"""

import json
import sys

import mysql.connector
import pymysql
from pymysql.constants import CLIENT

LOST = {2006, 2013, 2055}


def connect(driver, host, port, user, password, database, charset):
    if driver == "pymysql":
        return pymysql.connect(
            host=host, port=port, user=user, password=password, database=database, autocommit=True, charset=charset,
            client_flag=CLIENT.MULTI_STATEMENTS, local_infile=True, ssl_disabled=True, connect_timeout=10,
            read_timeout=30)
    return mysql.connector.connect(
        host=host, port=port, user=user, password=password, database=database, autocommit=True,
        use_pure=(driver == "connector-pure"), ssl_disabled=True, charset=charset, allow_local_infile=True, connection_timeout=10)


def cell(value):
    if isinstance(value, (bytes, bytearray)):
        try:
            return bytes(value).decode("utf-8")
        except UnicodeDecodeError:
            return {"hex": bytes(value).hex()}
    if value is None or isinstance(value, (bool, int, str)):
        return value
    # Floats, decimals, dates: their text, so the outcome compares exactly.
    return str(value)


def result_sets(cursor, nextset):
    sets = []
    while True:
        if cursor.description is not None:
            columns = [column[0] for column in cursor.description]
            sets.append({"columns": columns, "rows": [[cell(v) for v in row] for row in cursor.fetchall()]})
        else:
            sets.append({"affected": cursor.rowcount})
        if not nextset():
            return sets


def pymysql_raw_command(conn, code, payload):
    conn._execute_command(code, payload)
    packets = 0
    while True:
        packet = conn._read_packet()
        packets += 1
        if packet.is_ok_packet() or packet.is_eof_packet():
            return {"packets": packets}


def run(conn, driver, step):
    if "query" in step:
        cursor = conn.cursor()
        if "params" in step:
            cursor.execute(step["query"], tuple(step["params"]))
        else:
            cursor.execute(step["query"])
        return {"results": result_sets(cursor, cursor.nextset)}
    if "raw" in step:
        cursor = conn.cursor()
        raw = bytes.fromhex(step["raw"])
        cursor._executed = raw
        cursor._query(raw)
        return {"results": result_sets(cursor, cursor.nextset)}
    if "command" in step:
        return pymysql_raw_command(conn, step["command"], bytes.fromhex(step.get("payload", "")))
    if "prepared" in step:
        if driver == "pymysql":
            raise ValueError("prepared statements need mysql-connector")
        cursor = conn.cursor(prepared=True)
        cursor.execute(step["prepared"], tuple(step.get("params", [])))
        sets = [{"columns": [c[0] for c in cursor.description], "rows": [[cell(v) for v in r] for r in cursor.fetchall()]}
                if cursor.description else {"affected": cursor.rowcount}]
        cursor.close()
        return {"results": sets}
    if "select_db" in step:
        if driver == "pymysql":
            conn.select_db(step["select_db"])
        else:
            conn.cmd_init_db(step["select_db"])
        return {"results": []}
    if "change_user" in step:
        conn.cmd_change_user(username=step["change_user"], password=step.get("password", ""))
        return {"results": []}
    raise ValueError(f"unknown step {step}")


def error_of(exc):
    number = getattr(exc, "errno", None)
    if number is None and exc.args and isinstance(exc.args[0], int):
        number = exc.args[0]
    message = getattr(exc, "msg", None) or (exc.args[1] if len(exc.args) > 1 else str(exc))
    return {"number": number, "sqlstate": getattr(exc, "sqlstate", None), "message": str(message)}


def main():
    driver, host, port, user, password, database = sys.argv[1:7]
    charset = sys.argv[7] if len(sys.argv) > 7 else "utf8mb4"
    port = int(port)
    steps = json.load(sys.stdin)
    try:
        conn = connect(driver, host, port, user, password, database, charset)
    except (pymysql.err.Error, mysql.connector.Error) as exc:
        print(json.dumps([{"error": error_of(exc)}] * len(steps)))
        return
    outcomes = []
    for step in steps:
        try:
            outcomes.append(run(conn, driver, step))
        except (pymysql.err.Error, mysql.connector.Error) as exc:
            error = error_of(exc)
            outcomes.append({"error": error})
            if error["number"] in LOST or not (conn.open if driver == "pymysql" else conn.is_connected()):
                conn = connect(driver, host, port, user, password, database, charset)
    print(json.dumps(outcomes))


if __name__ == "__main__":
    main()
