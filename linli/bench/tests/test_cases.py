"""Every named URL is benchmarked or skipped with a reason; on a tiny seeded district every case answers 200."""

import io
import re

import pytest
from django.core.management import call_command
from django.test import override_settings

from linli.bench.cases import BENCH_CASES, BENCH_SKIPS, BenchData, load_cases
from linli.tests.test_scope_matrix import URL_NAMES

load_cases()


def test_every_named_url_has_a_bench_case_or_a_skip():
    missing = [name for name in URL_NAMES if name not in BENCH_CASES and name not in BENCH_SKIPS]
    assert missing == [], (
        f"URLs without a bench case in <app>/bench.py (or bench_skip with a reason): {missing}"
    )


def test_no_bench_case_for_a_url_that_does_not_exist():
    assert sorted((set(BENCH_CASES) | set(BENCH_SKIPS)) - set(URL_NAMES)) == []


def test_the_floor_is_not_a_case_of_its_own():
    assert "bench_floor" not in BENCH_CASES


@pytest.mark.django_db(transaction=False)
@override_settings(ROOT_URLCONF="linli.bench.urls")
def test_every_case_answers_200_on_a_tiny_seeded_district(client):
    """Seeding tiny takes a few seconds; the cases then run once each (the benchmark's own check, smaller)."""
    call_command("seed", scale="tiny", stdout=io.StringIO())
    data = BenchData()
    failures = []
    for name in sorted(BENCH_CASES):
        try:
            request = BENCH_CASES[name].build(data)
        except Exception as error:
            failures.append(f"{name}: {type(error).__name__}: {error}")
            continue
        client.logout()
        if request.user is not None:
            client.force_login(request.user)
        response = client.get(request.url, follow=request.follow)
        if response.status_code != 200:
            failures.append(f"{name}: {request.url} as {request.user}: {response.status_code}")
        assert not re.search(r"^https?://", request.url), f"{name}: a bench URL is a path, not {request.url}"
    assert failures == [], "\n".join(failures)
