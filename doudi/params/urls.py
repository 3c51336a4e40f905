from django.urls import path

from doudi.params import views

app_name = "params"
urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.new, name="new"),
    path("history/", views.history, name="history"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/approve/", views.approve, name="approve"),
    path("<int:pk>/reject/", views.reject, name="reject"),
]
