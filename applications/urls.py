from django.urls import path

from . import solution_views, views

app_name = "applications"

urlpatterns = [
    path("", views.my_applications, name="mine"),
    path("new/", views.application_new, name="new"),
    path("worksheet/<str:variant>.docx", views.worksheet_download, name="worksheet"),
    path("<int:pk>/", views.application_detail, name="detail"),
    path("<int:pk>/edit/", views.application_edit, name="edit"),
    path("<int:pk>/transition/", views.application_transition, name="transition"),
    path("<int:pk>/publish/", views.application_publish, name="publish"),
    path("<int:pk>/publication/", views.publication_consent, name="publication"),
    path("<int:pk>/publication/withdraw/", views.case_withdraw, name="case_withdraw"),
    path("<int:pk>/comments/", views.comment_add, name="comment"),
    path("<int:pk>/documents/<int:document_pk>/", views.document_download, name="document"),
    path("<int:pk>/documents/<int:document_pk>/delete/", views.document_delete, name="document_delete"),
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
        path("mine/", solution_views.my_solutions, name="mine"),
        path("new/", solution_views.solution_new, name="new"),
        path("<int:pk>/", solution_views.solution_detail, name="detail"),
        path("<int:pk>/edit/", solution_views.solution_edit, name="edit"),
        path("<int:pk>/transition/", solution_views.solution_transition, name="transition"),
        path("<int:pk>/introduce/", solution_views.introduce, name="introduce"),
        path("<int:pk>/brochures/<int:brochure_pk>/", solution_views.brochure_download, name="brochure"),
        path("<int:pk>/brochures/<int:brochure_pk>/delete/", solution_views.brochure_delete, name="brochure_delete"),
    ],
    "solutions",
)
