from django.urls import path

from . import views

app_name = "workplaces"

urlpatterns = [
    path("", views.workplace_list, name="list"),
    path("new/", views.workplace_create, name="create"),
    path("<int:pk>/", views.workplace_detail, name="detail"),
    path("<int:pk>/edit/", views.workplace_edit, name="edit"),
    path("<int:pk>/link/", views.workplace_link, name="link"),
    path("reports/", views.report_list, name="reports"),
    path("reports/new/", views.report_create, name="report_create"),
    path("reports/<int:pk>/file.csv", views.report_file, name="report_file"),
]
