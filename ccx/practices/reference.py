"""Controlled vocabularies of the practice record (slug, English name). Names are translated in the UI."""

from django.utils.translation import gettext_noop

THEMES = [
    ("culture", gettext_noop("Culture")),
    ("heritage", gettext_noop("Heritage")),
    ("education", gettext_noop("Education")),
    ("tourism", gettext_noop("Tourism")),
    ("health", gettext_noop("Health")),
    ("mobility", gettext_noop("Mobility")),
    ("environment", gettext_noop("Environment and climate")),
    ("economy", gettext_noop("Economy and jobs")),
    ("governance", gettext_noop("Governance and participation")),
    ("inclusion", gettext_noop("Social inclusion")),
    ("digital-services", gettext_noop("Digital services")),
    ("housing", gettext_noop("Housing and public space")),
    ("food", gettext_noop("Food systems")),
    ("water", gettext_noop("Water and sanitation")),
    ("energy", gettext_noop("Energy")),
    ("safety", gettext_noop("Safety and resilience")),
]

TECHNOLOGIES = [
    ("big-data", gettext_noop("Big data")),
    ("cloud-computing", gettext_noop("Cloud computing")),
    ("blockchain", gettext_noop("Blockchain")),
    ("artificial-intelligence", gettext_noop("Artificial intelligence")),
    ("iot", gettext_noop("Internet of Things")),
    ("open-data", gettext_noop("Open data")),
    ("digital-twins", gettext_noop("Digital twins")),
    ("mobile-apps", gettext_noop("Mobile apps")),
    ("gis", gettext_noop("Maps and GIS")),
    ("virtual-reality", gettext_noop("Virtual and augmented reality")),
    ("digital-platforms", gettext_noop("Digital platforms")),
    ("drones", gettext_noop("Drones")),
]
