from django.urls import path

from . import views

app_name = "honours"

urlpatterns = [
    path("", views.award_list, name="list"),
    path("export.csv", views.award_export, name="export"),
    path("import/", views.award_import, name="import"),
    path("find/", views.award_find, name="find"),
    path("work/", views.work_set, name="work"),
    path("<int:pk>/", views.award_edit, name="edit"),
]
