#!/usr/bin/env bash
# Runs psycopg2's own test suite (shipped in its PyPI sdist) against one PostgreSQL endpoint, so that a direct run
# and a run through the broker can be compared.
#
#   psycopg2-suite.sh HOST PORT USER PASSWORD DBNAME [CACHE_DIR]
#
# The first run downloads the sdist with pip, unpacks it and installs psycopg2-binary of the same version with
# `pip install --target` (nothing goes into the interpreter's own site-packages); both are kept under
# CACHE_DIR (default $HOME/.cache/hoopctl)/psycopg2-VERSION and reused. The database should exist and be owned by
# USER; the suite wants max_prepared_transactions > 0 and the hstore extension, and skips those tests otherwise.
#
# Output on stdout, one line each, sorted:
#   FAIL tests.test_x.Class.test_y          (also ERROR, UNEXPECTED_SUCCESS, SKIP; TIMEOUT for a test that hung)
#   SUMMARY ran=747 failures=1 errors=0 skipped=20 expected_failures=0 unexpected_successes=0 seconds=43.2
# A run cut short by a hung test says `incomplete=1` in its SUMMARY. Tracebacks of failing tests, and anything the
# tests print, go to stderr. Exit status 0 whatever the tests' outcome (the caller compares); 1 if the suite
# could not be fetched or installed; 2 on bad usage.
#
# Environment: PYTHON (default python3); PSYCOPG2_SUITE_TEST_TIMEOUT seconds one test may take before the run is
# abandoned (default 300); PSYCOPG2_SUITE_ONLY, space-separated test ids, runs just those (to re-check a few).
# libpq's PG* variables are cleared so that every run connects the same way.
set -euo pipefail

version=2.9.10
usage="usage: psycopg2-suite.sh HOST PORT USER PASSWORD DBNAME [CACHE_DIR]"
if [ $# -lt 5 ] || [ $# -gt 6 ]; then
    echo "$usage" >&2
    exit 2
fi
host=$1 port=$2 user=$3 password=$4 dbname=$5
cache=${6:-${HOME:-/root}/.cache/hoopctl}
python=${PYTHON:-python3}
root="$cache/psycopg2-$version"
mkdir -p "$root"
root=$(cd "$root" && pwd)

# Runs a pip command quietly; its output is shown only when it fails.
pip_quietly() {
    local log
    log=$(mktemp)
    if ! "$python" -m pip --disable-pip-version-check --no-input "$@" >"$log" 2>&1; then
        echo "psycopg2-suite: pip $* failed:" >&2
        cat "$log" >&2
        rm -f "$log"
        return 1
    fi
    rm -f "$log"
}

# Fetch and install once, under a lock so that concurrent first runs do not race; each piece is made in a scratch
# directory and moved into place whole, so an interrupted run leaves nothing half-made to be mistaken for done.
tag=$("$python" -c 'import sys; print("cp%d%d" % sys.version_info[:2])')
site="$root/site-$tag"
(
    flock 9 || exit 1
    scratch=$(mktemp -d "$root/scratch.XXXXXX") || exit 1
    trap 'rm -rf "$scratch"' EXIT
    if [ ! -f "$root/src/tests/__init__.py" ]; then
        pip_quietly download --no-binary :all: --no-deps --dest "$scratch" "psycopg2==$version" || exit 1
        tar --no-same-owner -xzf "$scratch/psycopg2-$version.tar.gz" -C "$scratch" || exit 1
        rm -rf "$root/src"
        mv "$scratch/psycopg2-$version" "$root/src" || exit 1
    fi
    # The binary wheel is specific to the interpreter's version, hence one directory per version tag.
    check="import psycopg2, sys; sys.exit(psycopg2.__version__.split()[0] != '$version')"
    if ! PYTHONPATH="$site" "$python" -c "$check" 2>/dev/null; then
        pip_quietly install --no-deps --target "$scratch/site" "psycopg2-binary==$version" || exit 1
        rm -rf "$site"
        mv "$scratch/site" "$site" || exit 1
    fi
) 9>"$root/.lock" || exit 1

# libpq reads PG* variables (PGSSLMODE, PGOPTIONS, PGCLIENTENCODING, ...): none may leak in from the caller.
while IFS= read -r name; do unset "$name"; done < <(compgen -e | grep '^PG' || true)

cd "$root/src"
export PYTHONPATH="$site" PYTHONDONTWRITEBYTECODE=1
export PSYCOPG2_TESTDB_HOST=$host PSYCOPG2_TESTDB_PORT=$port PSYCOPG2_TESTDB_USER=$user
export PSYCOPG2_TESTDB_PASSWORD=$password PSYCOPG2_TESTDB=$dbname
export PSYCOPG2_SUITE_TEST_TIMEOUT=${PSYCOPG2_SUITE_TEST_TIMEOUT:-300}

# The runner (read from stdin) keeps the real stdout for its result lines and points file descriptor 1 at stderr,
# so whatever the tests or psycopg2 print cannot mix with them.
status=0
"$python" - <<'PY' || status=$?
import faulthandler, os, sys, threading, time, unittest

results = os.fdopen(os.dup(1), "w")
os.dup2(2, 1)
sys.stdout = sys.stderr
timeout = float(os.environ["PSYCOPG2_SUITE_TEST_TIMEOUT"])
lock = threading.Lock()
started = time.monotonic()


class Result(unittest.TestResult):
    def __init__(self):
        super().__init__()
        self.lines = []
        self.current = None
        self.since = time.monotonic()

    def startTest(self, test):
        with lock:
            self.current, self.since = test.id(), time.monotonic()
        super().startTest(test)

    def stopTest(self, test):
        super().stopTest(test)
        with lock:
            self.current = None

    def report(self, kind, test, err=None):
        with lock:
            self.lines.append("%s %s" % (kind, test.id()))
        if err is not None:
            text = self._exc_info_to_string(err, test)  # the traceback without unittest's own frames
            sys.stderr.write("==== %s %s\n%s\n" % (kind, test.id(), text))

    def addFailure(self, test, err):
        super().addFailure(test, err)
        self.report("FAIL", test, err)

    def addError(self, test, err):
        super().addError(test, err)
        self.report("ERROR", test, err)

    def addSubTest(self, test, subtest, err):
        super().addSubTest(test, subtest, err)
        if err is not None:
            failed = issubclass(err[0], test.failureException)
            self.report("FAIL" if failed else "ERROR", subtest, err)

    def addSkip(self, test, reason):
        super().addSkip(test, reason)
        self.report("SKIP", test)

    def addUnexpectedSuccess(self, test):
        super().addUnexpectedSuccess(test)
        self.report("UNEXPECTED_SUCCESS", test)


def finish(result, extra=""):
    with lock:
        lines = sorted(set(result.lines))
    for line in lines:
        results.write(line + "\n")
    results.write(
        "SUMMARY ran=%d failures=%d errors=%d skipped=%d expected_failures=%d unexpected_successes=%d"
        " seconds=%.1f%s\n"
        % (result.testsRun, len(result.failures), len(result.errors), len(result.skipped),
           len(result.expectedFailures), len(result.unexpectedSuccesses), time.monotonic() - started, extra))
    results.flush()


result = Result()


def watchdog():
    # A test that hangs (a relay that never answers) must not hang the caller: report it and stop the run.
    while True:
        time.sleep(1)
        with lock:
            current, since = result.current, result.since
        if current is not None and time.monotonic() - since > timeout:
            sys.stderr.write("==== TIMEOUT %s after %.0f s; threads:\n" % (current, timeout))
            faulthandler.dump_traceback(file=sys.stderr, all_threads=True)
            with lock:
                result.lines.append("TIMEOUT " + current)
            finish(result, " incomplete=1")
            sys.stderr.flush()
            os._exit(0)


threading.Thread(target=watchdog, daemon=True).start()
try:
    import tests
    suite = tests.test_suite()  # also checks that the database is reachable
    only = os.environ.get("PSYCOPG2_SUITE_ONLY", "").split()
    if only:
        suite = unittest.defaultTestLoader.loadTestsFromNames(only)
except SystemExit:
    # test_suite() exits when it cannot connect to the database; it has printed why.
    result.lines.append("ERROR tests.test_suite")
    result.errors.append((None, "cannot connect"))
    finish(result)
    os._exit(0)
suite.run(result)
finish(result)
sys.stderr.flush()
os._exit(0)
PY
if [ "$status" -ne 0 ]; then
    echo "ERROR tests.runner"
    echo "SUMMARY ran=0 failures=0 errors=1 skipped=0 expected_failures=0 unexpected_successes=0 seconds=0 incomplete=1"
    echo "psycopg2-suite: the runner exited with status $status" >&2
fi
exit 0
