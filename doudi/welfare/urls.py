from django.urls import path

from doudi.welfare import views

app_name = "welfare"
urlpatterns = [
    path("funeral/new/", views.funeral_new, name="funeral_new"),
    path("funeral/<int:pk>/", views.funeral, name="funeral"),
    path("elderly/", views.elderly, name="elderly"),
    path("elderly/submit/", views.elderly_submit, name="elderly_submit"),
    path("elderly/<int:pk>/decide/", views.elderly_decide, name="elderly_decide"),
]
