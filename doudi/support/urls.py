from django.urls import path

from doudi.support import views

app_name = "support"
urlpatterns = [
    path("", views.worklist, name="worklist"),
    path("cases/", views.case_list, name="case_list"),
    path("cases/new/", views.case_new, name="case_new"),
    path("cases/<int:pk>/", views.case_detail, name="case_detail"),
    path("cases/<int:pk>/steps/<str:action>/", views.step, name="step"),
    path("cases/<int:pk>/documents/<str:kind>/", views.document, name="document"),
]
