"""A tenant's configuration: its KBO number, its TypeDossier codes and its Dimona rights."""

from __future__ import annotations

from dataclasses import dataclass, replace
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
    dimona_reference: str | None = None  # the authorisation's reference (a deliberation number)

    def defines(self, type_dossier: int) -> bool:
        """Whether `type_dossier` is one of this tenant's predefined codes."""
        return any(t.code == type_dossier for t in self.dossier_types)

    @property
    def receives_dimona(self) -> bool:
        """Authorised and subscribed: no authorisation, no data."""
        return self.dimona_authorized and self.dimona_subscribed


class NotAuthorized(ValueError):
    """A tenant asked for data it holds no authorisation for."""


def authorize_dimona(config: TenantConfig, reference: str) -> TenantConfig:
    """The tenant may receive Dimona data from now on, under the authorisation `reference`.

    The same config when it already may under that reference; a new reference (a later
    deliberation) replaces the old one and keeps the subscription.
    """
    if config.dimona_authorized and config.dimona_reference == reference:
        return config
    return replace(config, dimona_authorized=True, dimona_reference=reference)


def subscribe_dimona(config: TenantConfig) -> TenantConfig:
    """Subscribe to Dimona mutations; only an authorised tenant may (no authorisation, no data)."""
    if not config.dimona_authorized:
        raise NotAuthorized(
            f"tenant {config.kbo} holds no Dimona authorisation; the operator grants one with "
            f"`raas tenant authorize {config.kbo} dimona --reference REF`"
        )
    if config.dimona_subscribed:
        return config
    return replace(config, dimona_subscribed=True)
