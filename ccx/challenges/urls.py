from django.urls import URLPattern, URLResolver, path

from ccx.challenges import views

app_name = "challenges"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.challenge_list, name="list"),
    path("new/", views.new, name="new"),
    path("mine/", views.mine, name="mine"),
    path("<slug:slug>/", views.detail, name="detail"),
    path("<slug:slug>/edit/", views.edit, name="edit"),
    path("<slug:slug>/clinic/", views.clinic_status, name="clinic"),
    path("<slug:slug>/respond/", views.respond, name="respond"),
    path("<slug:slug>/practices/", views.practice_options, name="practice_options"),
    path("<slug:slug>/conclude/", views.conclude, name="conclude"),
    path("<slug:slug>/invite/", views.invite, name="invite"),
    path("<slug:slug>/responses/<int:response_id>/second/", views.second, name="second"),
    path("<slug:slug>/responses/<int:response_id>/helped/", views.helped, name="helped"),
]
