"""Bench case for the home page: the 区管理员's district dashboard is the heaviest one."""

from linli.bench.cases import BenchRequest, bench_case


@bench_case("reports:home", kind="dashboard")
def home(data):
    return BenchRequest(data.user("quwei_admin"), "/", "首页（区管理员，全区）")
