"""API for Challenges and case clinics."""

from ninja import Router

router = Router(tags=["challenges"])
