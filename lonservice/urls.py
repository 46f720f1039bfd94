from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

import accounts.urls
import api.urls
import audit.urls
import certificates.urls
import customers.urls
import economy.urls
import honours.urls
import invoicing.urls
import payroll.urls
import pensions.urls
import portal.urls
import pricing.urls
import register.urls
import reporting.urls
import staffing.urls
import training.urls
import workplaces.urls
from accounts.forms import AdminLoginForm
from accounts.views import LoginView, LogoutView, PasswordChangeView

from . import views
from .observability import views as observability

urlpatterns = [
    path("", views.home, name="home"),
    path("search/", views.search, name="search"),
    path("healthz", observability.ready, name="healthz"),
    path("healthz/live", observability.live, name="healthz_live"),
    path("healthz/ready", observability.ready, name="healthz_ready"),
    path("version", observability.version, name="version"),
    path("metrics", observability.prometheus, name="metrics"),
    path("login/", LoginView.as_view(), name="login"),
    path("logout/", LogoutView.as_view(), name="logout"),
    path("password/", PasswordChangeView.as_view(), name="password_change"),
    path(
        "password/done/",
        auth_views.PasswordChangeDoneView.as_view(template_name="registration/password_change_done.html"),
        name="password_change_done",
    ),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("customers/", include(customers.urls)),
    path("prices/", include(pricing.urls)),
    path("payroll/", include(payroll.urls)),
    path("pensions/", include(pensions.urls)),
    path("staffing/", include(staffing.urls)),
    path("invoicing/", include(invoicing.urls)),
    path("portal/", include(portal.urls)),
    path("register/", include(register.urls)),
    path("certificates/", include(certificates.urls)),
    path("honours/", include(honours.urls)),
    path("workplaces/", include(workplaces.urls)),
    path("training/", include(training.urls)),
    path("reports/", include(reporting.urls)),
    path("economy/", include(economy.urls)),
    path("audit/", include(audit.urls)),
    path("", include(accounts.urls)),
    path("api/", include(api.urls)),
    path("admin/", admin.site.urls),
]

admin.site.login_form = AdminLoginForm
admin.site.site_header = "Lönservice"
admin.site.site_title = "Lönservice"
