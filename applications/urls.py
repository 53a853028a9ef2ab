from django.urls import path

from . import views

app_name = "applications"

urlpatterns = [
    path("", views.my_applications, name="mine"),
    path("new/", views.application_new, name="new"),
    path("worksheet/<str:variant>.docx", views.worksheet_download, name="worksheet"),
    path("<int:pk>/", views.application_detail, name="detail"),
    path("<int:pk>/edit/", views.application_edit, name="edit"),
    path("<int:pk>/transition/", views.application_transition, name="transition"),
    path("<int:pk>/publish/", views.application_publish, name="publish"),
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
