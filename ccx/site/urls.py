from django.urls import path

from ccx.site import views

app_name = "site"

urlpatterns = [
    path("", views.home, name="home"),
    path("about/data/", views.about_data, name="about_data"),
]
