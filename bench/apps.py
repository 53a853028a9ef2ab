from django.apps import AppConfig


class BenchConfig(AppConfig):
    """The benchmark and the fault drill. Installed only by bench/settings.py (for `manage.py bench_dataset`);
    the portal never imports it."""

    name = "bench"
    verbose_name = "Benchmark"
