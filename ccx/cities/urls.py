from django.urls import path

from ccx.cities import views

app_name = "cities"

urlpatterns = [
    path("", views.directory, name="directory"),
    path("map/", views.world_map, name="map"),
    path("data-quality/", views.data_quality, name="data_quality"),
    path("export.<str:format>", views.export, name="export"),
    path("<slug:slug>/", views.detail, name="detail"),
    path("<slug:slug>/edit/", views.edit, name="edit"),
]
