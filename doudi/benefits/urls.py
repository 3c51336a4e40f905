from django.urls import path
from django.views.generic import RedirectView

from doudi.benefits import views

app_name = "benefits"

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="benefits:worklist"), name="index"),
    path("list/", views.benefit_list, name="list"),
    path("worklist/", views.worklist, name="worklist"),
    path("<int:pk>/", views.benefit_detail, name="detail"),
    path("<int:pk>/report/", views.report_change, name="report"),
    path("<int:pk>/recover/", views.recovery_form, name="recover"),
    path("reviews/<int:pk>/", views.review_detail, name="review"),
    path("reviews/<int:pk>/notice/", views.review_notice, name="notice"),
    path("recoveries/<int:pk>/", views.recovery_detail, name="recovery"),
    path("changes/<int:pk>/notice/", views.change_notice, name="change_notice"),
    path("standards/", views.standard_list, name="standards"),
    path("standards/new/", views.standard_new, name="standard_new"),
    path("standards/<int:pk>/", views.standard_detail, name="standard"),
    path("standards/<int:pk>/approve/", views.standard_approve, name="standard_approve"),
]
