"""Settings for a trial or demo on one machine: DEBUG on, keys kept in var/dev-keys.json."""

import base64
import json
import os
import secrets

from .base import *  # noqa: F403
from .base import VAR_DIR, env_bool


def _dev_keys() -> dict[str, str]:
    """Create once, then reuse, the keys a trial install needs, so no one has to set them by hand."""
    path = VAR_DIR / "dev-keys.json"
    if path.exists():
        return json.loads(path.read_text())
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    keys = {
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "LINLI_FIELD_KEY": base64.b64encode(secrets.token_bytes(32)).decode(),
        "LINLI_HASH_KEY": base64.b64encode(secrets.token_bytes(32)).decode(),
    }
    path.write_text(json.dumps(keys, indent=2))
    path.chmod(0o600)
    return keys


_keys = _dev_keys()
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY") or _keys["DJANGO_SECRET_KEY"]
LINLI_FIELD_KEY = os.environ.get("LINLI_FIELD_KEY") or _keys["LINLI_FIELD_KEY"]
LINLI_HASH_KEY = os.environ.get("LINLI_HASH_KEY") or _keys["LINLI_HASH_KEY"]
DEBUG = env_bool("DJANGO_DEBUG", True)
ALLOWED_HOSTS = ["*"]
