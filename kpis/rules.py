"""Who may curate the indicator catalogue: named predicates (django-rules) for services, the admin and tests."""

import rules

from accounts.rules import staff_holding

# The back office's permission for the same work: accepting and merging proposals change indicators.
staff_may_curate_indicators = staff_holding("kpis.change_indicator")

rules.add_rule("kpis.curate_indicators", staff_may_curate_indicators)
