from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("oidc/login/", views.SsoLoginView.as_view(), name="oidc_login"),
    path("oidc/callback/", views.SsoCallbackView.as_view(), name="oidc_callback"),
    path("users/", views.user_list, name="user_list"),
    path("users/new/", views.user_create, name="user_create"),
    path("users/<int:pk>/", views.user_edit, name="user_edit"),
    path("users/<int:pk>/deactivate/", views.user_deactivate, name="user_deactivate"),
    path("users/<int:pk>/activate/", views.user_activate, name="user_activate"),
    path("users/<int:pk>/password-link/", views.user_password_link, name="user_password_link"),
    path("users/<int:pk>/api-tokens/new/", views.token_create, name="token_create"),
    path("users/<int:pk>/api-tokens/<int:token_pk>/revoke/", views.token_revoke, name="token_revoke"),
    path("set-password/<uidb64>/<token>/", views.SetPasswordView.as_view(), name="set_password"),
]
