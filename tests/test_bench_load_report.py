"""bench.load's report: where the time of the slow requests went (generator, server thread,
the rest), from the generator's records and gunicorn's access log."""

from __future__ import annotations

from bench.load import collections_line, kind_table, server_times, tail_lines, windows_line

#: [sent at, kind, status, ms from due, note, answered at, ms waiting to be sent, number]
RECORDS = [
    [0.0, "checkin", 201, 10.0, "", 0.01, 0.5, 1],
    [0.1, "checkin", 409, 400.0, "", 0.5, 300.0, 2],
    [0.2, "reports_page", 200, 600.0, "", 0.8, 0.0, 3],
]


def test_server_times_come_from_the_access_log_by_number(tmp_path):
    log = tmp_path / "access.txt"
    log.write_text("1 8000 201\n2 50000 409\n3 550000 200\n- 1000 200\n")
    assert server_times(log) == {1: 8.0, 2: 50.0, 3: 550.0}
    assert server_times(tmp_path / "missing.txt") == {}


def test_the_slow_requests_time_is_split():
    server = {1: 8.0, 2: 50.0, 3: 550.0}
    (line,) = tail_lines({"records": RECORDS}, server, above_ms=250)
    # 1000 ms in all: 300 in the generator, 600 in a server thread, 100 the rest
    assert line.startswith("Requests above 250 ms: 2, on average 500 ms")
    assert "generator 150 ms (30%)" in line and "thread 300 ms (60%)" in line
    assert "reading 50 ms (10%)" in line


def test_the_table_has_the_waits_per_kind():
    rows = kind_table({"records": RECORDS, "seconds": 1.0}, {1: 8.0, 2: 50.0, 3: 550.0})
    checkin = next(row for row in rows if row.startswith("| checkin |"))
    cells = [cell.strip() for cell in checkin.split("|")[1:-1]]
    assert cells[:2] == ["checkin", "2"]
    assert cells[7:9] == ["300", "50"]  # p99 waiting to be sent, p99 in a server thread
    assert cells[-1] == "0"  # 201 and 409 are expected at the door


def test_collections_are_summed_up(tmp_path):
    log = tmp_path / "gc.txt"
    log.write_text("2 40.0 45.0 11\n1 3.0 9.0 11\n2 33.5 80.0 12\n")
    assert collections_line(log) == (
        "2 full collections in the web processes, CPU 34–40 ms each; "
        "the longest (generation 2): 80 ms"
    )
    assert collections_line(tmp_path / "none.txt") == "0 full collections in the web processes"


def test_the_tail_is_shown_by_when_requests_fell_due():
    records = [[1.0, "checkin", 201, 900.0, "", 1.9, 0.0, 1]]
    records += [[12.0 + n / 10, "checkin", 201, 20.0, "", 12.1, 0.0, 2 + n] for n in range(5)]
    records += [[20.5, "checkin", 201, 700.0, "", 21.2, 600.0, 9]]  # due at 19.9 s
    assert windows_line({"records": records}) == (
        "p99 ms by when the request fell due: 0–10 s 900, 10–20 s 700."
    )


def test_the_unanswered_requests_are_counted_by_cause():
    from bench.load import unanswered_line

    records = [
        *RECORDS,
        [0.3, "rsvp_view", 0, 5.0, "RemoteDisconnected", 0.3, 0.0, 4],
        [0.4, "checkin", 0, 5.0, "RemoteDisconnected", 0.4, 0.0, 5],
        [0.5, "checkin", 0, 5.0, "TimeoutError", 0.5, 0.0, 6],
        [0.6, "checkin", 201, 5.0, "retried on a new connection", 0.6, 0.0, 7],
    ]
    line = unanswered_line(records)
    assert line.startswith("Requests without an answer: 3 (RemoteDisconnected ×2, TimeoutError ×1)")
    assert line.endswith("after the server closed one: 1.")


class _Server:
    """A real HTTP/1.1 server on loopback whose `behaviour` decides, per request number on
    its connection, to answer and keep the connection (`keep`), answer and then close it
    without saying so (`close_after`: gunicorn's idle timeout), or close it unanswered
    (`drop`: the race of a request arriving as the idle connection is closed)."""

    def __init__(self, behaviour):
        import http.server
        import threading

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def setup(self):
                super().setup()
                self.served = 0

            def do_GET(self):
                self.served += 1
                action = behaviour(self.served)
                if action == "drop":
                    self.close_connection = True
                    return
                self.send_response(200)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")
                self.close_connection = action == "close_after"

            def log_message(self, *args):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.httpd.server_address[1]
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


def test_an_idle_connection_the_server_closed_is_not_reused():
    import time

    from bench.traffic_people import Http

    server = _Server(lambda n: "close_after")
    try:
        http_ = Http("127.0.0.1", server.port)
        assert http_.request("GET", "/")[0] == 200
        time.sleep(0.2)  # the server has closed the idle connection by now
        assert http_.request("GET", "/")[0] == 200
        assert http_.retried is False  # seen closed before use, not lost in use
    finally:
        server.close()


def test_a_request_lost_on_a_reused_connection_goes_once_more_on_a_new_one():
    import http.client

    import pytest

    from bench.traffic_people import Http

    server = _Server(lambda n: "keep" if n == 1 else "drop")
    try:
        http_ = Http("127.0.0.1", server.port)
        assert http_.request("GET", "/")[0] == 200 and http_.retried is False
        # the second request on the kept connection is dropped; a new connection answers
        assert http_.request("GET", "/")[0] == 200 and http_.retried is True
    finally:
        server.close()
    always = _Server(lambda n: "drop")
    try:
        fresh = Http("127.0.0.1", always.port)
        with pytest.raises(http.client.RemoteDisconnected):
            fresh.request("GET", "/")  # a new connection's failure is the server's answer
    finally:
        always.close()
