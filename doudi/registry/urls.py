from django.urls import path

from doudi.registry import views

app_name = "registry"
urlpatterns = [
    path("households/", views.household_list, name="household_list"),
    path("households/pick/", views.household_pick, name="household_pick"),
    path("households/export.csv", views.household_export, name="household_export"),
    path("households/new/", views.household_create, name="household_create"),
    path("households/<int:pk>/", views.household_detail, name="household_detail"),
    path("households/<int:pk>/edit/", views.household_edit, name="household_edit"),
    path("households/<int:pk>/facts/", views.household_facts, name="household_facts"),
    path("households/<int:pk>/members/new/", views.member_add, name="member_add"),
    path("households/<int:pk>/members/<int:membership_pk>/end/", views.member_end, name="member_end"),
    path("persons/<int:person_pk>/id-number/", views.reveal_id, name="reveal_id"),
    path("households/<int:pk>/kin/new/", views.kin_add, name="kin_add"),
    path("kin-requests/", views.kin_requests, name="kin_requests"),
    path("kin-requests/<int:pk>/decide/", views.kin_decide, name="kin_decide"),
]
