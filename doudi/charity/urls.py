from django.urls import path

from doudi.charity import views

app_name = "charity"
urlpatterns = [
    path("", views.needs, name="needs"),
    path("needs/new/", views.need_new, name="need_new"),
    path("needs/<int:pk>/offer/", views.offer, name="offer"),
    path("needs/<int:pk>/help/", views.need_help, name="need_help"),
    path("needs/<int:pk>/close/", views.close, name="close"),
    path("offers/<int:pk>/answer/", views.answer, name="answer"),
    path("mine/", views.mine, name="mine"),
    path("help/new/", views.help_new, name="help_new"),
    path("budget/", views.budget, name="budget"),
]
