"""A fresh tenant for a test: a new KBO number, onboarded with its TypeDossiers and topics."""

from __future__ import annotations

from raas.config import Settings
from raas.domain.tenants import DossierType
from raas.onboarding import add_tenant
from tests.integration.numbers import new_kbo


def new_tenant(settings: Settings, name: str, dossier: str = "examination") -> str:
    """The KBO number of a tenant added now (`raas tenant add`), with TypeDossier 1 `dossier`."""
    kbo = new_kbo()
    add_tenant(settings, kbo, name, [DossierType(1, dossier)])
    return kbo
