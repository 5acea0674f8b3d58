"""A tenant's configuration: its KBO number, its TypeDossier codes and its Dimona rights."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class DossierType:
    """A TypeDossier code the tenant predefined, with its label."""

    code: int
    label: str


@dataclass(frozen=True, slots=True)
class TenantConfig:
    kbo: str
    name: str
    dossier_types: tuple[DossierType, ...]
    dimona_authorized: bool
    dimona_subscribed: bool
    event_id: str
    timestamp: datetime

    def defines(self, type_dossier: int) -> bool:
        """Whether `type_dossier` is one of this tenant's predefined codes."""
        return any(t.code == type_dossier for t in self.dossier_types)

    @property
    def receives_dimona(self) -> bool:
        """Authorised and subscribed: no authorisation, no data."""
        return self.dimona_authorized and self.dimona_subscribed
