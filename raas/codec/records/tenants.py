"""TenantConfig: a tenant's TypeDossiers and Dimona rights."""

from __future__ import annotations

from raas.codec.records.record import AvroDict, Record
from raas.domain.tenants import DossierType, TenantConfig


def tenant_to(config: TenantConfig) -> AvroDict:
    return {
        "event_id": config.event_id,
        "timestamp": config.timestamp,
        "kbo": config.kbo,
        "name": config.name,
        "dossier_types": [{"code": t.code, "label": t.label} for t in config.dossier_types],
        "dimona_authorized": config.dimona_authorized,
        "dimona_subscribed": config.dimona_subscribed,
        "dimona_reference": config.dimona_reference,
    }


def tenant_from(datum: AvroDict) -> TenantConfig:
    return TenantConfig(
        kbo=datum["kbo"],
        name=datum["name"],
        dossier_types=tuple(DossierType(t["code"], t["label"]) for t in datum["dossier_types"]),
        dimona_authorized=datum["dimona_authorized"],
        dimona_subscribed=datum["dimona_subscribed"],
        event_id=datum["event_id"],
        timestamp=datum["timestamp"],
        dimona_reference=datum.get("dimona_reference"),
    )


TENANT_CONFIG: Record[TenantConfig] = Record(
    "TenantConfig", (TenantConfig,), tenant_to, tenant_from
)
