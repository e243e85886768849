"""Any change to what the public programme shows bumps the event's content version (retiring cached pages)."""

from typing import Any

from django.db.models.signals import m2m_changed, post_delete, post_save

from ccx.events.models import EventOrganisation, EventTranslation, Outcome, Session, SessionSpeaker, Signature, Speaker


def _bump_for_event(sender: Any, instance: Any, **kwargs: Any) -> None:
    from ccx.events.services import bump_version

    bump_version(instance.event_id)


def _bump_via_session(sender: Any, instance: Any, **kwargs: Any) -> None:
    from ccx.events.models import Session
    from ccx.events.services import bump_version

    event_id = Session.objects.filter(pk=instance.session_id).values_list("event_id", flat=True).first()
    if event_id:
        bump_version(event_id)


def _bump_via_outcome(sender: Any, instance: Any, **kwargs: Any) -> None:
    from ccx.events.models import Outcome
    from ccx.events.services import bump_version

    event_id = Outcome.objects.filter(pk=instance.outcome_id).values_list("event_id", flat=True).first()
    if event_id:
        bump_version(event_id)


def _bump_for_session_practices(sender: Any, instance: Any, action: str, **kwargs: Any) -> None:
    from ccx.events.services import bump_version

    if action.startswith("post_") and isinstance(instance, Session):
        bump_version(instance.event_id)


def connect() -> None:
    for model in (Session, Speaker, EventOrganisation, EventTranslation, Outcome):
        post_save.connect(_bump_for_event, sender=model, dispatch_uid=f"events-bump-{model.__name__}")
        post_delete.connect(_bump_for_event, sender=model, dispatch_uid=f"events-bump-del-{model.__name__}")
    post_save.connect(_bump_via_session, sender=SessionSpeaker, dispatch_uid="events-bump-appearance")
    post_delete.connect(_bump_via_session, sender=SessionSpeaker, dispatch_uid="events-bump-del-appearance")
    post_save.connect(_bump_via_outcome, sender=Signature, dispatch_uid="events-bump-signature")
    post_delete.connect(_bump_via_outcome, sender=Signature, dispatch_uid="events-bump-del-signature")
    for relation in (Session.practices, Session.challenges, Session.partnerships):
        m2m_changed.connect(
            _bump_for_session_practices, sender=relation.through, dispatch_uid=f"events-bump-{relation.field.name}"
        )
