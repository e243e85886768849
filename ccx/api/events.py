"""API for Summits and workshops."""

from ninja import Router

router = Router(tags=["events"])
