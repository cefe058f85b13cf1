from django.apps import AppConfig


class BenchConfig(AppConfig):
    name = "linli.bench"
    label = "bench"
    verbose_name = "性能基准"
