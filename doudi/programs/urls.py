from django.urls import path

from doudi.programs import views

app_name = "programs"
urlpatterns = [
    path("", views.index, name="index"),
    path("children/", views.children_list, name="children"),
    path("children/new/", views.child_new, name="child_new"),
    path("children/<int:pk>/", views.child_file, name="child_file"),
    path("children/cases/<int:pk>/", views.child_case, name="child_case"),
    path("children/cases/<int:pk>/", views.child_case, name="case_detail"),
    path("children/cases/<int:pk>/steps/<str:action>/", views.step, name="step"),
    path("disability/", views.disability_list, name="disability"),
    path("disability/new/", views.disability_new, name="disability_new"),
    path("disability/<int:pk>/", views.disability_detail, name="disability_detail"),
    path("disability/care-needs/", views.care_needs, name="care_needs"),
    path("medical/", views.medical_page, name="medical"),
    path("medical/premiums/", views.premium_list, name="premiums"),
    path("medical/emergency/", views.emergency, name="emergency"),
    path("medical/emergency/<int:pk>/decide/", views.emergency_decide, name="emergency_decide"),
    path("prices/", views.prices_page, name="prices"),
    path("prices/<int:pk>/compute/", views.prices_compute, name="prices_compute"),
    path("rescue/", views.rescue_list, name="rescue"),
    path("rescue/<int:pk>/", views.rescue_detail, name="rescue_detail"),
    path("rescue/receiving/", views.rescue_receiving, name="rescue_receiving"),
    path("referrals/", views.referrals, name="referrals"),
    path("referrals/new/", views.referral_new, name="referral_new"),
    path("referrals/<int:pk>/answer/", views.referral_answer, name="referral_answer"),
    path("medical/daily-allowance/new/", views.daily_allowance_new, name="daily_allowance_new"),
    path("education/new/", views.education_new, name="education_new"),
    path("houses/", views.houses, name="houses"),
    path("houses/new/", views.house_new, name="house_new"),
    path("overdue/", views.overdue_report, name="overdue"),
]
