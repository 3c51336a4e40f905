from django.urls import path

from doudi.relief import views

app_name = "relief"
urlpatterns = [
    path("", views.worklist, name="worklist"),
    path("cases/", views.case_list, name="case_list"),
    path("cases/new/", views.case_new, name="case_new"),
    path("cases/urgent/", views.urgent_new, name="urgent_new"),
    path("cases/urgent/person/", views.urgent_person, name="urgent_person"),
    path("cases/<int:pk>/", views.case_detail, name="case_detail"),
    path("cases/<int:pk>/steps/<str:action>/", views.step, name="step"),
    path("cases/<int:pk>/documents/<str:kind>/", views.document, name="document"),
    path("register/", views.register, name="register"),
    path("register/<int:pk>/follow-up/", views.follow_up, name="follow_up"),
    path("notices/", views.notices, name="notices"),
    path("notices/<int:pk>/acknowledge/", views.acknowledge_notice, name="acknowledge_notice"),
]
