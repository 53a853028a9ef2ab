from django.urls import path

from . import benchmark_views, call_views, progress_views, solution_views, submission_views, views
from .kinds import APPLICATION, SOLUTION

app_name = "applications"


def _submission_paths(kind) -> list:
    """The pages both kinds share, under the paths and names each has always had."""
    serve = {"kind": kind}
    attachments, attachment = kind.attachments, kind.attachment_url
    return [
        path("new/", submission_views.new, serve, name="new"),
        path("<int:pk>/edit/", submission_views.edit, serve, name="edit"),
        path("<int:pk>/transition/", submission_views.transition, serve, name="transition"),
        path("<int:pk>/print/", submission_views.print_copy, serve, name="print"),
        path("<int:pk>/messages/", submission_views.message, serve, name="message"),
        path("<int:pk>/review/", submission_views.review, serve, name="review"),
        path(
            "<int:pk>/messages/<int:message_pk>/attachment/",
            submission_views.message_attachment,
            serve,
            name="message_attachment",
        ),
        path(
            f"<int:pk>/{attachments}/<int:{attachment}_pk>/",
            submission_views.attachment_download,
            serve,
            name=attachment,
        ),
        path(
            f"<int:pk>/{attachments}/<int:{attachment}_pk>/delete/",
            submission_views.attachment_delete,
            serve,
            name=f"{attachment}_delete",
        ),
    ]


urlpatterns = [
    path("", submission_views.mine, {"kind": APPLICATION}, name="mine"),
    *_submission_paths(APPLICATION),
    path("worksheet/<str:variant>.docx", views.worksheet_download, name="worksheet"),
    path("<int:pk>/", views.application_detail, name="detail"),
    path("<int:pk>/publish/", views.application_publish, name="publish"),
    path("<int:pk>/publication/", views.publication_consent, name="publication"),
    path("<int:pk>/publication/withdraw/", views.case_withdraw, name="case_withdraw"),
    path("<int:pk>/comments/", views.comment_add, name="comment"),
    path("reviews/", views.my_reviews, name="reviews"),
    path("<int:pk>/progress/", progress_views.report_add, name="report"),
    path("<int:pk>/progress/<int:report_pk>/evidence/", progress_views.evidence_download, name="evidence"),
]

case_urlpatterns = (
    [
        path("", views.case_library, name="library"),
        path("<int:pk>/", views.case_detail, name="detail"),
    ],
    "cases",
)

solution_urlpatterns = (
    [
        path("", solution_views.solution_directory, name="directory"),
        path("mine/", submission_views.mine, {"kind": SOLUTION}, name="mine"),
        *_submission_paths(SOLUTION),
        path("<int:pk>/", solution_views.solution_detail, name="detail"),
        path("<int:pk>/introduce/", solution_views.introduce, name="introduce"),
    ],
    "solutions",
)

benchmark_urlpatterns = (
    [
        path("indicators/<int:pk>/", benchmark_views.indicator_benchmark, name="indicator"),
        path("indicators/<int:pk>/figures.csv", benchmark_views.indicator_csv, name="indicator_csv"),
        path("clusters/<slug:slug>/", benchmark_views.cluster_benchmarks, name="cluster"),
    ],
    "benchmarks",
)

call_urlpatterns = (
    [
        path("", call_views.call_list, name="list"),
        path("<slug:slug>/", call_views.call_detail, name="detail"),
    ],
    "calls",
)
