"""Controlled vocabularies of the practice record (slug, English name). Names are translated in the UI."""

from django.utils.translation import gettext_noop as N_

THEMES = [
    ("culture", N_("Culture")),
    ("heritage", N_("Heritage")),
    ("education", N_("Education")),
    ("tourism", N_("Tourism")),
    ("health", N_("Health")),
    ("mobility", N_("Mobility")),
    ("environment", N_("Environment and climate")),
    ("economy", N_("Economy and jobs")),
    ("governance", N_("Governance and participation")),
    ("inclusion", N_("Social inclusion")),
    ("digital-services", N_("Digital services")),
    ("housing", N_("Housing and public space")),
    ("food", N_("Food systems")),
    ("water", N_("Water and sanitation")),
    ("energy", N_("Energy")),
    ("safety", N_("Safety and resilience")),
]

TECHNOLOGIES = [
    ("big-data", N_("Big data")),
    ("cloud-computing", N_("Cloud computing")),
    ("blockchain", N_("Blockchain")),
    ("artificial-intelligence", N_("Artificial intelligence")),
    ("iot", N_("Internet of Things")),
    ("open-data", N_("Open data")),
    ("digital-twins", N_("Digital twins")),
    ("mobile-apps", N_("Mobile apps")),
    ("gis", N_("Maps and GIS")),
    ("virtual-reality", N_("Virtual and augmented reality")),
    ("digital-platforms", N_("Digital platforms")),
    ("drones", N_("Drones")),
]
