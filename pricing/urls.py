from django.urls import path

from . import views

app_name = "pricing"

urlpatterns = [
    path("", views.pricelist_list, name="pricelist_list"),
    path("new/", views.pricelist_create, name="pricelist_create"),
    path("import/", views.pricelist_import, name="pricelist_import"),
    path("<int:pk>/", views.pricelist_detail, name="pricelist_detail"),
    path("<int:pk>/edit/", views.pricelist_edit, name="pricelist_edit"),
    path("<int:pk>/new-version/", views.pricelist_new_version, name="pricelist_new_version"),
    path("<int:pk>/monthly-amounts/<slug:item_code>/", views.monthly_amounts_edit, name="monthly_amounts_edit"),
    path("<int:pk>/freeze/", views.pricelist_freeze, name="pricelist_freeze"),
    path("<int:pk>/decide/", views.pricelist_decide, name="pricelist_decide"),
]
