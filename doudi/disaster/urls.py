from django.urls import path

from doudi.disaster import views

app_name = "disaster"
urlpatterns = [
    path("", views.worklist, name="worklist"),
    path("events/new/", views.event_new, name="event_new"),
    path("events/<int:pk>/", views.event_detail, name="event_detail"),
    path("events/<int:pk>/stage/", views.event_stage, name="event_stage"),
    path("events/<int:pk>/funding/", views.event_funding, name="event_funding"),
    path("events/<int:pk>/ledger/", views.ledger, name="ledger"),
    path("events/<int:pk>/apply/", views.apply, name="apply"),
    path("grants/", views.village_list, name="village_list"),
    path("grants/<int:pk>/", views.case_detail, name="case_detail"),
    path("grants/<int:pk>/steps/<str:action>/", views.step, name="step"),
    path("grants/<int:pk>/documents/<str:kind>/", views.document, name="document"),
    path("reports/", views.reports, name="reports"),
    path("stock/", views.stock, name="stock"),
]
