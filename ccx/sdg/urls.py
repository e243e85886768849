from django.urls import path

from ccx.sdg import views

app_name = "sdg"

urlpatterns = [
    path("", views.index, name="index"),
    path("<int:number>/", views.goal, name="goal"),
]
