from django.urls import path
from django.views.generic import RedirectView

from doudi.payments import views

app_name = "payments"

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="payments:worklist"), name="index"),
    path("worklist/", views.worklist, name="worklist"),
    path("rolls/build/", views.build, name="build"),
    path("rolls/<int:pk>/", views.roll_detail, name="roll"),
    path("rolls/<int:pk>/rebuild/", views.rebuild, name="rebuild"),
    path("rolls/<int:pk>/review/", views.review, name="review"),
    path("rolls/<int:pk>/release/", views.release, name="release"),
    path("rolls/<int:pk>/export/", views.export, name="export"),
    path("rolls/<int:pk>/results/", views.results, name="results"),
    path("rolls/<int:pk>/roll.xlsx", views.roll_xlsx, name="roll_xlsx"),
    path("rolls/<int:pk>/reconciliation.xlsx", views.reconciliation_xlsx, name="reconciliation_xlsx"),
    path("rolls/<int:pk>/print/", views.roll_print, name="print"),
    path("accounts/", views.account_list, name="accounts"),
    path("accounts/<int:pk>/", views.account_detail, name="account"),
    path("accounts/new/<int:household>/", views.account_new, name="account_new"),
    path("funds/", views.funds, name="funds"),
]
