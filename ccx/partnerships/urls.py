from django.urls import path

from ccx.partnerships import network_views, views

app_name = "partnerships"

urlpatterns = [
    path("", network_views.network_view, name="network"),
    path("network-<str:table>.csv", network_views.network_csv, name="network_csv"),
    path("partnerships/", views.partnership_list, name="list"),
    path("partnerships/new/", views.propose, name="propose"),
    path("partnerships/<slug:slug>/", views.partnership_detail, name="detail"),
    path("partnerships/<slug:slug>/terms/", views.amend, name="amend"),
    path("partnerships/<slug:slug>/milestones/", views.milestone_add, name="milestone_add"),
    path("partnerships/<slug:slug>/milestones/<int:pk>/done/", views.milestone_done, name="milestone_done"),
    path("partnerships/<slug:slug>/documents/", views.document_add, name="document_add"),
    path("partnerships/<slug:slug>/documents/<int:pk>/", views.document_download, name="document"),
    path("partnerships/<slug:slug>/record/<str:step>/", views.twinning_step, name="twinning_step"),
    path("partnerships/<slug:slug>/<str:action>/", views.act, name="act"),
    path("transfers/<int:pk>/", views.transfer_detail, name="transfer"),
    path("transfers/<int:pk>/edit/", views.transfer_edit, name="transfer_edit"),
    path("practices/<slug:slug>/adapted/", views.transfer_new, name="transfer_new"),
    path("peers/", views.my_peers, name="my_peers"),
    path("peers/<slug:slug>/", views.peers, name="peers"),
]
