"""The live server runs one request at a time when its requests share the test's connection."""

import threading
import time

from tests.e2e.conftest import one_request_at_a_time


def test_requests_sharing_a_connection_never_run_together():
    running, most = [0], [0]
    guard = threading.Lock()

    def application(environ, start_response):
        with guard:
            running[0] += 1
            most[0] = max(most[0], running[0])
        time.sleep(0.02)
        with guard:
            running[0] -= 1
        start_response("200 OK", [])
        return [b"ok"]

    serialised = one_request_at_a_time(application)
    threads = [
        threading.Thread(target=lambda: list(serialised({}, lambda *args: None))) for _ in range(6)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert most[0] == 1
