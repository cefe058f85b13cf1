"""Scope over every view and API endpoint, generated from the URL configuration.

For each named URL: the persona who may gets success, the colleague with less right is refused and
nothing changes, the outsider gets 404 like a missing record. A URL without a registered case fails.
"""

import importlib
import json

import pytest
from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver

from linli.testing.scope import PUBLIC_URLS, SCOPE_CASES


def _load_cases() -> None:
    for config in apps.get_app_configs():
        if config.name.startswith("linli."):
            try:
                importlib.import_module(f"{config.name}.tests.scope_cases")
            except ModuleNotFoundError as error:
                if error.name != f"{config.name}.tests.scope_cases":
                    raise


def _url_names(resolver: URLResolver | None = None, prefix: str = "") -> list[str]:
    names = []
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            namespace = f"{prefix}{entry.namespace}:" if entry.namespace else prefix
            names.extend(_url_names(entry, namespace))
        elif isinstance(entry, URLPattern) and entry.name:
            names.append(f"{prefix}{entry.name}")
    return sorted(set(names))


_load_cases()
URL_NAMES = _url_names()
CHECKED = [name for name in URL_NAMES if name not in PUBLIC_URLS]


def test_every_named_url_has_a_scope_case():
    missing = [name for name in CHECKED if name not in SCOPE_CASES]
    assert missing == [], f"URLs without a scope case in <app>/tests/scope_cases.py: {missing}"


def test_no_scope_case_for_a_url_that_does_not_exist():
    assert sorted(set(SCOPE_CASES) - set(URL_NAMES)) == []


def _request(client, case, user):
    client.force_login(user)
    method = getattr(client, case.method)
    if case.method == "get":
        return method(case.url, case.data or {})
    if case.content_type == "application/json":
        return method(case.url, json.dumps(case.data or {}), content_type="application/json")
    return method(case.url, case.data or {})


@pytest.mark.parametrize("url_name", [n for n in CHECKED if n in SCOPE_CASES])
def test_scope(url_name, world, client):
    built = SCOPE_CASES[url_name](world)
    cases = built if isinstance(built, list) else [built]
    for case in cases:
        assert case.may, f"{url_name}: a case needs at least one persona who may"
        assert case.lesser or case.outsiders, f"{url_name}: a case needs someone who may not"
        for persona in [*case.lesser, *case.outsiders]:
            before = case.state(world) if case.state else None
            response = _request(client, case, getattr(world, persona))
            expected = case.lesser_status if persona in case.lesser else case.outsider_status
            assert response.status_code in expected, (
                f"{url_name} as {persona}: got {response.status_code}, expected {expected}"
            )
            if case.state:
                assert case.state(world) == before, f"{url_name} as {persona}: a refused request changed data"
            client.logout()
        for persona in case.may:
            response = _request(client, case, getattr(world, persona))
            assert response.status_code in case.success, (
                f"{url_name} as {persona}: got {response.status_code}, expected {case.success}"
            )
            client.logout()
