from django.contrib import admin

from ccx.core.validation import validated_form
from ccx.events.models import (
    Event,
    EventOrganisation,
    EventTranslation,
    Outcome,
    Registration,
    Session,
    SessionSpeaker,
    Signature,
    Speaker,
)
from ccx.events.validation import event_problems, session_problems

# The admin asks the same validators as the organisers' forms and the event import.
EventAdminForm = validated_form(Event, event_problems)
SessionAdminForm = validated_form(
    Session, lambda values: session_problems(values, event=values["event"]) if values.get("event") else {}
)


class EventOrganisationInline(admin.TabularInline[EventOrganisation, Event]):
    model = EventOrganisation
    autocomplete_fields = ("organisation",)
    extra = 0


class EventTranslationInline(admin.StackedInline[EventTranslation, Event]):
    model = EventTranslation
    extra = 0


@admin.register(Event)
class EventAdmin(admin.ModelAdmin[Event]):
    form = EventAdminForm
    list_display = ("title", "kind", "starts_on", "ends_on", "audience", "is_published", "registration_open")
    list_filter = ("kind", "audience", "is_published")
    search_fields = ("title", "theme")
    autocomplete_fields = ("host_city", "cities", "organiser_users")
    inlines = (EventOrganisationInline, EventTranslationInline)


class SessionSpeakerInline(admin.TabularInline[SessionSpeaker, Session]):
    model = SessionSpeaker
    autocomplete_fields = ("speaker",)
    extra = 0


@admin.register(Session)
class SessionAdmin(admin.ModelAdmin[Session]):
    form = SessionAdminForm
    list_display = ("title", "event", "kind", "starts_at", "ends_at", "room")
    list_filter = ("kind", "event")
    search_fields = ("title",)
    autocomplete_fields = ("practices",)
    inlines = (SessionSpeakerInline,)


@admin.register(Speaker)
class SpeakerAdmin(admin.ModelAdmin[Speaker]):
    list_display = ("name", "position", "event", "city", "organisation")
    list_filter = ("event",)
    search_fields = ("name", "position")
    autocomplete_fields = ("city", "organisation", "user")


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin[Registration]):
    list_display = ("user", "event", "mode", "status", "registered_at")
    list_filter = ("status", "mode", "event")
    search_fields = ("user__username", "user__email")
    readonly_fields = ("feed_token",)
    autocomplete_fields = ("user",)
    filter_horizontal = ("starred",)


class SignatureInline(admin.TabularInline[Signature, Outcome]):
    model = Signature
    autocomplete_fields = ("city",)
    extra = 0


@admin.register(Outcome)
class OutcomeAdmin(admin.ModelAdmin[Outcome]):
    list_display = ("title", "kind", "event", "open_for_signature")
    list_filter = ("kind",)
    search_fields = ("title",)
    inlines = (SignatureInline,)
