"""Matchmaking: approved solutions that fit a city's project application, each with the reason it fits.

Solutions serving the application's cluster come first, then those sharing most words with the project's
problem, approach and technologies. PostgreSQL ranks the words with its full-text search (stemmed, so
"sensor" finds "sensors"); elsewhere (the zero-setup SQLite run) a plain word overlap stands in. Every
page asks for the matches of all its applications at once, in a constant number of queries.
"""

import re
from dataclasses import dataclass, field
from datetime import datetime

import rules
from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db.models import BooleanField, Exists, FloatField, IntegerField, OuterRef, Q, Value
from django.utils.text import get_text_list
from django.utils.translation import gettext as _

from core import caches

from .models import Introduction, ProjectApplication, SolutionRegistration
from .solution_selectors import SEARCH_CONFIG, SOLUTION_SEARCH_VECTOR, SolutionCluster, uses_postgres

MAX_WORDS = 40
WORDS_IN_REASON = 5
# Without PostgreSQL the candidates are scored in Python: a bounded pool of the newest approved solutions.
FALLBACK_POOL = 500
# Words too common in smart-city writing to say anything about a match, and English function words.
_IGNORED_TEXT = """
    about after also among because been before being between both cannot city cities citizens could does
    each every from have having here into itself just more most much must other over project projects same
    should smart some such than that their them then there these they this those through under until upon
    very want were what when where which while will with within would your ours using used uses make makes
    made need needs well like many based across include includes including towards along give gives given
    take takes help helps allow allows provide provides offer offers work works better first only
"""
IGNORED_WORDS = frozenset(_IGNORED_TEXT.split())


def words_of(text: str) -> list[str]:
    """Distinct meaningful words of `text`, lower case, in the order they first appear."""
    seen: dict[str, None] = {}
    for word in re.findall(r"[^\W\d_]{4,}", text.lower()):
        if word not in IGNORED_WORDS:
            seen.setdefault(word, None)
    return list(seen)


def _stem(word: str) -> str:
    """A crude English stem, enough to explain a match ("sensors" and "sensor" are one word)."""
    for suffix, replacement in (("ies", "y"), ("ing", ""), ("ed", ""), ("es", ""), ("s", "")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)] + replacement
    return word


MATCHED_FIELDS = ("title", "problem", "approach", "technologies")


def application_words(application: ProjectApplication) -> list[str]:
    return words_of(" ".join(getattr(application, name) for name in MATCHED_FIELDS))[:MAX_WORDS]


def _words_of_applications(applications: list[ProjectApplication]) -> dict[int, list[str]]:
    """Each application's words; texts that a list page deferred are read in one query, not one per row."""
    deferred = [a.pk for a in applications if a.get_deferred_fields() & set(MATCHED_FIELDS)]
    texts = {}
    if deferred:
        texts = {
            row["pk"]: words_of(" ".join(row[name] for name in MATCHED_FIELDS))[:MAX_WORDS]
            for row in ProjectApplication.objects.filter(pk__in=deferred).values("pk", *MATCHED_FIELDS)
        }
    return {a.pk: texts[a.pk] if a.pk in texts else application_words(a) for a in applications}


def shared_words(words: list[str], solution: SolutionRegistration) -> list[str]:
    """The application's words that the solution's name, summary or description also uses."""
    stems = {_stem(word) for word in words_of(f"{solution.name} {solution.summary} {solution.description}")}
    return [word for word in words if _stem(word) in stems]


@dataclass
class Match:
    solution: SolutionRegistration
    same_cluster: bool
    rank: float
    cluster_name: str = ""  # the application's cluster's, in the reader's language: set as the matches are read
    words: list[str] = field(default_factory=list)
    introduced_at: datetime | None = None

    @property
    def reason(self) -> str:
        shown = get_text_list([f"“{word}”" for word in self.words[:WORDS_IN_REASON]], _("and"))
        if self.same_cluster and self.words:
            return _("Serves this project's cluster, %(cluster)s, and mentions %(words)s.") % {
                "cluster": self.cluster_name,
                "words": shown,
            }
        if self.same_cluster:
            return _("Serves this project's cluster, %(cluster)s.") % {"cluster": self.cluster_name}
        if self.words:
            return _("Mentions %(words)s, like the project's problem and approach.") % {"words": shown}
        return _("Its description is close to the project's problem and approach.")


def _ranked_postgres(applications, words: dict[int, list[str]], limit: int) -> list[tuple[int, int, bool, float]]:
    """(application pk, solution pk, same cluster, rank) rows, the best `limit` per application, in one query."""
    parts = []
    for application in applications:
        solutions = SolutionRegistration.objects.approved().annotate(
            application_pk=Value(application.pk, output_field=IntegerField())
        )
        if application.cluster_id:
            same = Exists(
                SolutionCluster.objects.filter(
                    solutionregistration_id=OuterRef("pk"), cluster_id=application.cluster_id
                )
            )
        else:
            same = Value(False, output_field=BooleanField())
        solutions = solutions.annotate(same_cluster=same)
        condition = Q(same_cluster=True)
        if words[application.pk]:
            query = SearchQuery(" or ".join(words[application.pk]), search_type="websearch", config=SEARCH_CONFIG)
            solutions = solutions.annotate(
                search=SOLUTION_SEARCH_VECTOR, rank=SearchRank(SOLUTION_SEARCH_VECTOR, query)
            )
            condition |= Q(search=query)
        else:
            solutions = solutions.annotate(rank=Value(0.0, output_field=FloatField()))
        parts.append(
            solutions.filter(condition)
            .order_by("-same_cluster", "-rank", "-decided_at", "-pk")
            .values_list("application_pk", "pk", "same_cluster", "rank")[:limit]
        )
    if not parts:
        return []
    first, *rest = parts
    return list(first.union(*rest, all=True) if rest else first)


def _ranked_fallback(applications, words: dict[int, list[str]], limit: int) -> list[tuple[int, int, bool, float]]:
    pool = list(
        SolutionRegistration.objects.approved()
        .prefetch_related("clusters")
        .order_by("-decided_at", "-pk")[:FALLBACK_POOL]
    )
    rows = []
    for application in applications:
        scored = []
        for solution in pool:
            same = application.cluster_id in {cluster.pk for cluster in solution.clusters.all()}
            overlap = len(shared_words(words[application.pk], solution))
            if same or overlap:
                scored.append((application.pk, solution.pk, same, float(overlap)))
        scored.sort(key=lambda row: (not row[2], -row[3]))
        rows += scored[:limit]
    return rows


def _compute_matches(applications: list[ProjectApplication], limit: int) -> dict[int, list[Match]]:
    """The ranking itself: two queries for all the applications, one more when their texts were deferred."""
    words = _words_of_applications(applications)
    ranked = (_ranked_postgres if uses_postgres() else _ranked_fallback)(applications, words, limit)
    solutions = (
        SolutionRegistration.objects.filter(pk__in={row[1] for row in ranked}).select_related("organisation").in_bulk()
        if ranked
        else {}
    )
    matches: dict[int, list[Match]] = {application.pk: [] for application in applications}
    for application_pk, solution_pk, same, rank in sorted(ranked, key=lambda row: (not row[2], -row[3], -row[1])):
        solution = solutions[solution_pk]
        matches[application_pk].append(
            Match(
                solution=solution,
                same_cluster=same,
                rank=rank,
                words=shared_words(words[application_pk], solution),
            )
        )
    return matches


def matches_for_applications(applications, *, limit: int = 5) -> dict[int, list[Match]]:
    """The best `limit` approved solutions for each application, best first.

    Ranking reads every approved solution's text, so each application's matches, with the introductions made
    (`introduced_at`, shown only to those who may introduce), are cached until it, a solution or an introduction
    changes (the "matches" entry of core/caches.py): no query when all are cached, three or four for those
    that are not. Each application should come with its cluster and `updated_at` loaded: the reason names the
    cluster in the reader's language.
    """
    applications = list(applications)
    if not applications:
        return {}
    by_pk = {application.pk: application for application in applications}
    keys = {a.pk: f"{a.pk}:{a.updated_at.timestamp()}:{limit}" for a in applications}

    def read(missing: list[int]) -> dict[int, list[Match]]:
        fresh = _compute_matches([by_pk[pk] for pk in missing], limit)
        mark_introductions(fresh)
        return fresh

    found = caches.kept_many("matches", keys, read)
    # Kept for every reader: the cluster's name is the reader's, not that of whoever computed them.
    for application_pk, matches in found.items():
        application = by_pk[application_pk]
        for match in matches:
            if match.same_cluster:
                match.cluster_name = application.cluster.name
    return found


def solutions_for_application(application: ProjectApplication, limit: int = 5) -> list[Match]:
    """Approved solutions that fit `application`, best first, each with a human-readable reason."""
    return matches_for_applications([application], limit=limit)[application.pk]


def mark_introductions(matches: dict[int, list[Match]]) -> None:
    """Set `introduced_at` on every match already introduced, in one query for all applications."""
    pairs = {(a, m.solution.pk): m for a, found in matches.items() for m in found}
    if not pairs:
        return
    introductions = Introduction.objects.filter(
        application_id__in={a for a, _s in pairs}, solution_id__in={s for _a, s in pairs}
    ).values_list("application_id", "solution_id", "created_at")
    for application_pk, solution_pk, created_at in introductions:
        if (application_pk, solution_pk) in pairs:
            pairs[application_pk, solution_pk].introduced_at = created_at


def matchmaking_for(application: ProjectApplication, user, *, limit: int = 5) -> dict | None:
    """What the application page shows about matching solutions, or None for people it is not meant for.

    The city itself, the leaders of its cluster and the secretariat see the matches; leaders and the
    secretariat may introduce the city to a provider.
    """
    from .rules import is_applicant, leads_target_cluster, staff_may_view_applications

    if not (
        staff_may_view_applications(user) or is_applicant(user, application) or leads_target_cluster(user, application)
    ):
        return None
    may_introduce = rules.test_rule("applications.introduce", user, application)
    return {"matches": solutions_for_application(application, limit=limit), "may_introduce": may_introduce}


def leader_page_submissions(cluster, *, matches_per_application: int = 3) -> None:
    """Give the led cluster its newest sent applications (each with its best matches) and solutions.

    Sets `newest_applications` (each with `matches`) and `newest_solutions` on the cluster, in a constant number
    of queries whatever the number of applications and solutions.
    """
    from .selectors import newest_submissions
    from .solution_selectors import newest_solutions

    applications = newest_submissions(cluster)
    for application in applications:
        application.cluster = cluster
    matches = matches_for_applications(applications, limit=matches_per_application)
    for application in applications:
        application.matches = matches[application.pk]
    cluster.newest_applications = applications
    cluster.newest_solutions = newest_solutions(cluster)
