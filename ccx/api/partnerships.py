"""API for Partnerships and transfers."""

from ninja import Router

router = Router(tags=["partnerships"])
