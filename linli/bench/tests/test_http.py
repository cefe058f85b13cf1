"""The HTTP load, in parts: the full run needs a database another process can open.

Under pytest the SQLite test database lives in memory, so gunicorn cannot see it (and on PostgreSQL
the test's data is not committed). So the parts are tested here: the load client against a small
WSGI server, the sessions the run makes against the real middleware, and gunicorn itself started
and stopped (its workers found and measured, nothing left running). The whole run is exercised by
`linli bench --quick` on a seeded database.
"""

import os
import subprocess
import sys
import threading
import time
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import pytest
from django.conf import settings
from django.test import Client

from linli.bench import http


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, *args):
        pass


class _ThreadingServer(WSGIServer):
    def process_request(self, request, client_address):
        threading.Thread(target=self._handle, args=(request, client_address), daemon=True).start()

    def _handle(self, request, client_address):
        try:
            self.finish_request(request, client_address)
        finally:
            self.shutdown_request(request)


def _app(environ, start_response):
    if environ["PATH_INFO"] == "/ok/" and environ.get("HTTP_COOKIE") == "sessionid=abc":
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [b"ok"]
    start_response("302 Found", [("Location", "/accounts/login/")])
    return [b""]


@pytest.fixture
def tiny_server():
    server = make_server("127.0.0.1", 0, _app, server_class=_ThreadingServer, handler_class=_QuietHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()


def test_load_makes_exactly_the_requests_asked_for(tiny_server):
    result = http.load(
        "127.0.0.1", tiny_server, "/ok/", requests=37, concurrency=4, headers={"Cookie": "sessionid=abc"}
    )

    assert len(result.latencies_ms) == 37
    assert result.failures == []
    assert result.throughput > 0


def test_load_reports_every_response_that_is_not_200(tiny_server):
    result = http.load("127.0.0.1", tiny_server, "/ok/", requests=9, concurrency=3, headers={})

    assert len(result.failures) == 9
    assert result.failures[0] == "/ok/ → 302 /accounts/login/"


def test_load_reports_a_refused_connection_as_a_failure():
    port = http.free_port()  # nothing listens there

    result = http.load("127.0.0.1", port, "/", requests=2, concurrency=1, headers={})

    assert len(result.failures) == 2
    assert "ConnectionRefusedError" in result.failures[0]


def test_the_sessions_made_in_process_log_the_user_in(world, settings):
    settings.ROOT_URLCONF = "linli.bench.urls"
    cookies, stores = http.session_cookies({"community_admin_a", "member_user_a"})
    client = Client()

    name, key = cookies["community_admin_a"].split("=")
    client.cookies[name] = key
    response = client.get("/bench/floor/")

    assert response.status_code == 200
    assert response.content.decode().count("community_admin_a") == 1
    assert len(stores) == 2
    for store in stores:
        store.delete()
    assert client.get("/bench/floor/").status_code == 302


def test_sessions_for_a_missing_login_are_refused(world):
    with pytest.raises(RuntimeError, match="找不到演示账号：ghost"):
        http.session_cookies({"ghost", "community_admin_a"})


def test_an_in_memory_test_database_cannot_be_served(db):
    if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        with pytest.raises(RuntimeError, match="内存中的SQLite"):
            http.server_environment()
    else:
        assert http.server_environment()["DJANGO_SETTINGS_MODULE"] == "linli.settings.bench"


def test_children_and_peak_memory_of_a_process():
    # The child says when Python is up: read right after the fork, its peak is a fraction of a MB.
    child = subprocess.Popen(
        [sys.executable, "-c", "import time; print('ready', flush=True); time.sleep(30)"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout.readline().strip() == "ready"
        assert child.pid in http.children_of(os.getpid())
        assert 1 < http.peak_memory_mb(child.pid) < 200
    finally:
        child.kill()
        child.wait()


def test_gunicorn_starts_two_workers_and_stops_without_leaving_a_process(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "linli.settings.bench",
        "DJANGO_SECRET_KEY": settings.SECRET_KEY,
        "LINLI_FIELD_KEY": settings.LINLI_FIELD_KEY,
        "LINLI_HASH_KEY": settings.LINLI_HASH_KEY,
        "LINLI_VAR_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'unused.sqlite3'}",
    }
    server = http.Server(env, http.free_port())
    try:
        server.wait_ready()
        workers = server.workers()
        assert len(workers) == 2
        assert all(http.peak_memory_mb(pid) > 10 for pid in workers)
    finally:
        server.stop()

    assert server.process.returncode is not None
    time.sleep(0.2)
    assert [pid for pid in workers if os.path.exists(f"/proc/{pid}")] == []
    assert not server.log_path.exists()
