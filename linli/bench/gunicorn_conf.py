"""Gunicorn settings for the benchmark's HTTP load: two sync workers, as on a 2-core deployment.

The bind address comes from the command line (`--bind 127.0.0.1:<free port>`); the settings module
and keys from the environment (`linli.bench.http` sets both). No access log: writing one line per
request would be measured too.
"""

workers = 2
worker_class = "sync"
timeout = 120
graceful_timeout = 20
accesslog = None
errorlog = "-"
loglevel = "warning"
proc_name = "linli-bench"
