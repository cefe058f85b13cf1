"""Production settings for the benchmark's HTTP load: plain HTTP on 127.0.0.1 and the floor view mounted.

Keys come from the environment as in production (the benchmark generates throwaway ones).
"""

import os

os.environ.setdefault("LINLI_HTTPS", "0")

from .production import *  # noqa: F403

ROOT_URLCONF = "linli.bench.urls"
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
