"""What the test peers that serve HTTP with Werkzeug share: stopping cleanly on SIGTERM and SIGINT.

Each peer puts this folder on sys.path (the peers run as plain scripts) and calls stop_on_signals(httpd) before
serve_forever().
"""

from __future__ import annotations

import signal
import threading


def stop_on_signals(httpd) -> None:
    """Make SIGTERM and SIGINT end serve_forever() cleanly.

    The handler asks the server to shut down from a helper thread instead of
    raising in the main thread: an exception raised there can land inside
    socketserver's per-request `except Exception` (while the main thread waits
    for a worker thread to start) and be swallowed, leaving a process that
    ignores every later signal. shutdown() waits for the loop to finish, so it
    cannot run on the thread that runs the loop.
    """

    def request_shutdown(signum, frame):
        threading.Thread(target=httpd.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, request_shutdown)
    signal.signal(signal.SIGINT, request_shutdown)
    # A parent that blocks these (test runners do, and children inherit the mask) must not make us unstoppable.
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM, signal.SIGINT})
