from django.urls import path

from doudi.accounts import views

app_name = "accounts"
urlpatterns = [path("audit/", views.audit_list, name="audit_list")]
