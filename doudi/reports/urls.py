from django.urls import path

from doudi.reports import views

app_name = "reports"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("excel/", views.excel_report, name="excel"),
    path("indicators/", views.indicator_list, name="indicators"),
    path("anomalies/", views.anomaly_list, name="anomalies"),
    path("complaints/", views.complaint_list, name="complaint_list"),
    path("complaints/new/", views.complaint_new, name="complaint_new"),
    path("complaints/<int:pk>/", views.complaint_detail, name="complaint_detail"),
    path("complaints/<int:pk>/notes/", views.complaint_note, name="complaint_note"),
    path("complaints/<int:pk>/answer/", views.complaint_answer, name="complaint_answer"),
    path("audit/", views.audit_list, name="audit_list"),
    path("audit/<str:kind>/<int:pk>/", views.audit_case, name="audit_case"),
    path("audit/parameters/", views.audit_parameters, name="audit_parameters"),
    path("audit/sample/", views.audit_sample, name="audit_sample"),
    path("population/", views.population, name="population"),
    path("public/<str:county>/", views.public_county, name="public"),
]
