"""Units of measurement (pint): a value is stored with the unit the city used and converted when compared.

One registry per process, built on first use (it takes half a second). Besides pint's own units it knows the
things cities count (people, vehicles, visits, households...) and three currencies, each its own dimension, so
"visits per month" converts to "visits per year" but never to "people per year" or to kilowatt-hours.
"""

import functools
import re
from collections.abc import Callable
from decimal import Decimal

import pint
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_UNIT_LENGTH = 50
# Things counted, each its own dimension (name = [dimension] = symbol = aliases...).
COUNTED = {
    "person": ("people", "persons", "resident", "residents", "user", "users", "inhabitant", "inhabitants"),
    "vehicle": ("vehicles", "car", "cars", "bus", "buses", "bicycle", "bicycles"),
    "household": ("households",),
    "visit": ("visits", "session", "sessions"),
    "trip": ("trips", "journey", "journeys"),
    "incident": ("incidents", "accident", "accidents", "crime", "crimes"),
    "service": ("services", "dataset", "datasets"),
    "sensor": ("sensors", "device", "devices"),
    "USD": ("usd", "dollar", "dollars"),
    "EUR": ("eur", "euro", "euros"),
    "KRW": ("krw", "won"),
}
# "m2", "km2", "m3": written without the power sign, as people do.
BARE_POWER = re.compile(r"(?<=[A-Za-zµ])([23])\b")


@functools.cache
def registry() -> pint.UnitRegistry:
    units = pint.UnitRegistry(cache_folder=None, preprocessors=[lambda text: BARE_POWER.sub(r"^\1", text)])
    for name, aliases in COUNTED.items():
        units.define(f"{name} = [{name.lower()}] = _ = {' = '.join(aliases)}")
    return units


def parse(text: str) -> pint.Unit:
    """The unit `text` names, or ValidationError saying that it is not one."""
    text = (text or "").strip()
    if not text:
        # xgettext:no-python-format (a literal percent sign: the string is never %-formatted)
        raise ValidationError(_("Enter the unit, for example kWh, t, minutes, % or visits per month."))
    if len(text) > MAX_UNIT_LENGTH:
        raise ValidationError(_("A unit is at most %(count)d characters long.") % {"count": MAX_UNIT_LENGTH})
    try:
        return registry().parse_units(text)
    except Exception:  # pint raises many kinds (undefined unit, syntax, scaling factor): all mean "not a unit"
        raise ValidationError(
            _("“%(unit)s” is not a unit we know. Try for example kWh, MWh, t, km, minutes, %%, people or EUR.")
            % {"unit": text}
        ) from None


def compatible(unit: str, other: str) -> bool:
    try:
        return parse(unit).dimensionality == parse(other).dimensionality
    except ValidationError:
        return False


def check_compatible(unit: str, *, indicator_unit: str, indicator_name: str) -> None:
    """Raise ValidationError, in words a city official understands, unless `unit` converts to the indicator's."""
    parse(unit)
    if not compatible(unit, indicator_unit):
        raise ValidationError(
            _(
                "“%(unit)s” cannot be converted to %(indicator_unit)s, the unit of “%(indicator)s”. Use a unit of "
                "the same kind (for example %(indicator_unit)s itself)."
            )
            % {"unit": unit, "indicator_unit": indicator_unit, "indicator": indicator_name}
        )


@functools.lru_cache(maxsize=1024)
def converter(source: str, target: str) -> Callable[[float], float]:
    """A function converting values from `source` to `target` units: one pint call per pair of units, then a
    multiplication per value (or pint for each value when the units have offsets, such as degrees Celsius)."""
    units = registry()
    from_unit, to_unit = parse(source), parse(target)
    if from_unit.dimensionality != to_unit.dimensionality:
        raise ValidationError(
            _("“%(source)s” cannot be converted to “%(target)s”.") % {"source": source, "target": target}
        )
    if not (units.Quantity(1.0, from_unit)._is_multiplicative and units.Quantity(1.0, to_unit)._is_multiplicative):
        return lambda value: units.Quantity(float(value), from_unit).to(to_unit).magnitude
    factor = units.Quantity(1.0, from_unit).to(to_unit).magnitude
    return lambda value: float(value) * factor


def convert(value: Decimal | float, source: str, target: str) -> float:
    return converter(source, target)(value)
