"""API for Publications and exhibitions."""

from ninja import Router

router = Router(tags=["publications"])
