from django.urls import path

from . import views

app_name = "staffing"

urlpatterns = [
    path("fte/", views.fte, name="fte"),
    path("fte/import/", views.fte_import, name="fte_import"),
    path("fte/<int:unit_pk>/<str:period>/", views.fte_edit, name="fte_edit"),
    path("staff/", views.staff, name="staff"),
    path("skills/", views.skills, name="skills"),
    path("skills/<int:pk>/", views.skill_edit, name="skill_edit"),
    path("loans/", views.loans, name="loans"),
    path("loans/<int:pk>/end/", views.loan_end, name="loan_end"),
    path("sick-leave/", views.sick_leave, name="sick_leave"),
    path("absences/", views.absences, name="absences"),
    path("absences/new/", views.absence_create, name="absence_create"),
    path("absences/<int:pk>/", views.absence_edit, name="absence_edit"),
    path("absences/<int:pk>/delete/", views.absence_delete, name="absence_delete"),
    path("phone/", views.phone, name="phone"),
    path("enquiries/", views.enquiries, name="enquiries"),
    path("enquiries/<int:pk>/answer/", views.enquiry_answer, name="enquiry_answer"),
    path("phone/new/", views.phone_edit, name="phone_new"),
    path("phone/import/", views.phone_import, name="phone_import"),
    path("phone/<str:period>/", views.phone_edit, name="phone_edit"),
    path("survey/", views.survey, name="survey"),
    path("survey/new/", views.survey_edit, name="survey_new"),
    path("survey/<int:year>/", views.survey_edit, name="survey_edit"),
]
