"""The figures a benchmark compares, computed from numbers already converted to the indicator's unit."""

from decimal import Decimal

from django.utils import formats

SIGNIFICANT_DECIMALS = 4


def _places(value: float) -> int:
    """Decimals worth showing of a converted value: 19,167 rather than 19,166.6667; 0.0125 stays."""
    size = abs(value)
    return 0 if size >= 1000 else 1 if size >= 100 else 2 if size >= 1 else SIGNIFICANT_DECIMALS


def measure(value: Decimal | float | None, *, rounded: bool = False) -> str:
    """A value for the reader: grouped by thousands, at most four decimals (`rounded`: as many as its size
    deserves), no trailing zeros; "—" when unknown."""
    if value is None:
        return "—"
    places = _places(float(value)) if rounded else SIGNIFICANT_DECIMALS
    number = Decimal(str(value)).quantize(Decimal(1).scaleb(-places)).normalize()
    places = max(0, -number.as_tuple().exponent)
    return formats.number_format(number, decimal_pos=places, use_l10n=True, force_grouping=True)


def change(*, baseline: float | None, latest: float | None) -> float | None:
    """How far the latest value moved from the baseline, in percent of the baseline (positive: up)."""
    if baseline is None or latest is None or baseline == 0:
        return None
    return (latest - baseline) / abs(baseline) * 100


def improvement(*, baseline: float | None, latest: float | None, lower_is_better: bool) -> float | None:
    """How much better the latest value is than the baseline, in percent of the baseline (positive: better)."""
    moved = change(baseline=baseline, latest=latest)
    if moved is None:
        return None
    return -moved if lower_is_better else moved


def progress(*, baseline: float | None, target: float | None, latest: float | None) -> float | None:
    """How far from the baseline towards the target the latest value is, in percent (100: target reached)."""
    if baseline is None or target is None or latest is None or target == baseline:
        return None
    return (latest - baseline) / (target - baseline) * 100
