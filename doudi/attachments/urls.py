from django.urls import path

from doudi.attachments import views

app_name = "attachments"
urlpatterns = [
    path("<int:pk>/", views.open_file, name="open"),
    path("upload/<str:target>/<int:pk>/", views.upload, name="upload"),
]
