from django.urls import path

from doudi.verification import views

app_name = "verification"
urlpatterns = [
    path("", views.index, name="index"),
    path("datasets/", views.dataset_list, name="datasets"),
    path("datasets/upload/", views.upload, name="upload"),
    path("requests/", views.request_list, name="requests"),
    path("requests/<int:pk>/", views.request_detail, name="request"),
    path("requests/<int:pk>/report/", views.report_print, name="report"),
    path("requests/<int:pk>/authorisation/", views.authorisation, name="authorisation"),
    path("requests/<int:pk>/start/", views.request_start, name="start"),
    path("requests/<int:pk>/run/", views.request_run, name="run"),
    path("requests/<int:pk>/issue/", views.request_issue, name="issue"),
    path("requests/<int:pk>/object/", views.report_object, name="object"),
    path("requests/<int:pk>/ask/", views.query_ask, name="ask"),
    path("queries/", views.query_list, name="queries"),
    path("queries/<int:pk>/", views.query_detail, name="query"),
    path("findings/", views.finding_list, name="findings"),
    path("findings/<int:pk>/", views.finding_detail, name="finding"),
    path("findings/<int:pk>/<str:act>/", views.finding_act, name="finding_act"),
    path("runs/", views.run_list, name="runs"),
]
