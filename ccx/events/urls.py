from django.urls import path

from ccx.events.views import organiser, participant, public

app_name = "events"

urlpatterns = [
    path("", public.event_list, name="list"),
    path("new/", organiser.event_new, name="new"),
    path("calendar/<str:token>.ics", participant.personal_feed, name="personal_feed"),
    path("<slug:slug>/", public.detail, name="detail"),
    path("<slug:slug>/edit/", organiser.event_edit, name="edit"),
    path("<slug:slug>/programme/", public.programme, name="programme"),
    path("<slug:slug>/programme.ics", public.programme_ics, name="programme_ics"),
    path("<slug:slug>/programme.<str:format>", public.programme_export, name="programme_export"),
    path("<slug:slug>/speakers/", public.speakers, name="speakers"),
    path("<slug:slug>/speakers/new/", organiser.speaker_edit, name="speaker_new"),
    path("<slug:slug>/speakers/<slug:speaker_slug>/", public.speaker, name="speaker"),
    path("<slug:slug>/speakers/<slug:speaker_slug>/edit/", organiser.speaker_edit, name="speaker_edit"),
    path("<slug:slug>/sessions/new/", organiser.session_edit, name="session_new"),
    path("<slug:slug>/sessions/<int:session_id>/edit/", organiser.session_edit, name="session_edit"),
    path("<slug:slug>/sessions/<int:session_id>/delete/", organiser.session_delete, name="session_delete"),
    path("<slug:slug>/sessions/<int:session_id>/star/", participant.toggle_star, name="star"),
    path("<slug:slug>/register/", participant.register, name="register"),
    path("<slug:slug>/cancel/", participant.cancel, name="cancel"),
    path("<slug:slug>/agenda/", participant.agenda, name="agenda"),
    path("<slug:slug>/agenda/renew/", participant.renew_feed, name="renew_feed"),
    path("<slug:slug>/participants/", organiser.participants, name="participants"),
    path("<slug:slug>/participants/<int:registration_id>/<str:action>/", organiser.decide, name="decide"),
    path("<slug:slug>/outcomes/new/", organiser.outcome_edit, name="outcome_new"),
    path("<slug:slug>/outcomes/<int:outcome_id>/edit/", organiser.outcome_edit, name="outcome_edit"),
    path("<slug:slug>/outcomes/<int:outcome_id>/sign/", organiser.sign, name="sign"),
]
