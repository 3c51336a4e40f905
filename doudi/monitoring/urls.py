from django.urls import path

from doudi.monitoring import views

app_name = "monitoring"
urlpatterns = [
    path("", views.index, name="index"),
    path("warnings/", views.alert_list, name="warnings"),
    path("warnings/<int:pk>/", views.alert_detail, name="alert"),
    path("warnings/<int:pk>/<str:step>/", views.alert_step, name="step"),
    path("register/", views.register_list, name="register"),
    path("report/", views.report_new, name="report_new"),
    path("scans/", views.scan_list, name="scans"),
    path("disasters/", views.disaster_new, name="disaster_new"),
    path("figures/", views.figures_page, name="figures"),
]
