"""Where the current request came from, for audit entries written deep inside services."""

from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestMeta:
    ip: str | None = None
    user_agent: str = ""


_current: ContextVar[RequestMeta] = ContextVar("linli_request_meta", default=RequestMeta())  # noqa: B039 -- frozen, immutable


def current_request_meta() -> RequestMeta:
    return _current.get()


def set_request_meta(meta: RequestMeta):
    return _current.set(meta)


def reset_request_meta(token) -> None:
    _current.reset(token)
