from django.urls import path

from doudi.cases import views

app_name = "cases"
urlpatterns = [
    path("worklist/", views.worklist, name="worklist"),
    path("", views.case_list, name="case_list"),
    path("new/", views.application_new, name="application_new"),
    path("<int:pk>/", views.case_detail, name="case_detail"),
    path("<int:pk>/steps/<str:action>/", views.step, name="step"),
    path("<int:pk>/help/", views.help_record, name="help_record"),
    path("<int:pk>/documents/<str:kind>/", views.document, name="document"),
    path("notices/", views.notice_list, name="notice_list"),
    path("window/", views.request_list, name="request_list"),
    path("window/new/", views.request_new, name="request_new"),
    path("window/<int:pk>/", views.request_detail, name="request_detail"),
    path("window/<int:pk>/route/", views.request_route, name="request_route"),
    path("window/<int:pk>/transfer/", views.request_transfer, name="request_transfer"),
    path("transfers/<int:pk>/answer/", views.transfer_answer, name="transfer_answer"),
]
