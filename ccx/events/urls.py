from django.urls import path

from ccx.events import views

app_name = "events"

urlpatterns = [
    path("", views.event_list, name="list"),
    path("new/", views.event_new, name="new"),
    path("calendar/<str:token>.ics", views.personal_feed, name="personal_feed"),
    path("<slug:slug>/", views.detail, name="detail"),
    path("<slug:slug>/edit/", views.event_edit, name="edit"),
    path("<slug:slug>/programme/", views.programme, name="programme"),
    path("<slug:slug>/programme.ics", views.programme_ics, name="programme_ics"),
    path("<slug:slug>/programme.<str:format>", views.programme_export, name="programme_export"),
    path("<slug:slug>/speakers/", views.speakers, name="speakers"),
    path("<slug:slug>/speakers/new/", views.speaker_edit, name="speaker_new"),
    path("<slug:slug>/speakers/<slug:speaker_slug>/", views.speaker, name="speaker"),
    path("<slug:slug>/speakers/<slug:speaker_slug>/edit/", views.speaker_edit, name="speaker_edit"),
    path("<slug:slug>/sessions/new/", views.session_edit, name="session_new"),
    path("<slug:slug>/sessions/<int:session_id>/edit/", views.session_edit, name="session_edit"),
    path("<slug:slug>/sessions/<int:session_id>/delete/", views.session_delete, name="session_delete"),
    path("<slug:slug>/sessions/<int:session_id>/star/", views.toggle_star, name="star"),
    path("<slug:slug>/register/", views.register, name="register"),
    path("<slug:slug>/cancel/", views.cancel, name="cancel"),
    path("<slug:slug>/agenda/", views.agenda, name="agenda"),
    path("<slug:slug>/agenda/renew/", views.renew_feed, name="renew_feed"),
    path("<slug:slug>/participants/", views.participants, name="participants"),
    path("<slug:slug>/participants/<int:registration_id>/<str:action>/", views.decide, name="decide"),
    path("<slug:slug>/outcomes/new/", views.outcome_edit, name="outcome_new"),
    path("<slug:slug>/outcomes/<int:outcome_id>/edit/", views.outcome_edit, name="outcome_edit"),
    path("<slug:slug>/outcomes/<int:outcome_id>/sign/", views.sign, name="sign"),
]
