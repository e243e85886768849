"""The six personas of the monitoring tests: the shared four, plus a registered member and a partner."""

from dataclasses import dataclass

import pytest
from django.test import Client

from ccx.accounts.models import Organisation, OrganisationType
from tests.conftest import Personas, client_for, make_user


@dataclass
class Everyone:
    personas: Personas
    member: Client
    partner: Client

    def clients(self) -> dict[str, Client]:
        return {**self.personas.all(), "member": self.member, "partner": self.partner}


@pytest.fixture
def everyone(personas: Personas) -> Everyone:
    member = make_user("member-1")
    partner = make_user("partner-1")
    partner.organisation = Organisation.objects.create(name="Crafts Council", kind=OrganisationType.CIVIL_SOCIETY)
    partner.save()
    return Everyone(personas, client_for(member), client_for(partner))
