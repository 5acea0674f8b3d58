"""TenantConfig records written by version 1 (before the Dimona reference) still load."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from raas import codec
from raas.domain.tenants import DossierType, TenantConfig

V1 = Path(__file__).parents[2] / "data" / "tenantconfig_v1" / "authorised_subscribed.bin"


def test_a_version_1_tenant_config_loads_with_its_rights_and_no_reference() -> None:
    loaded = codec.decode(V1.read_bytes(), TenantConfig)
    assert loaded == TenantConfig(
        "0403019261",
        "Demo",
        (DossierType(1, "a"),),
        True,
        True,
        "ev-1",
        datetime(2026, 11, 1, 12, 0, tzinfo=UTC),
        dimona_reference=None,
    )
    assert int.from_bytes(V1.read_bytes()[1:5], "big") == 10  # really version 1's id
    assert codec.default_codec().schema_id(TenantConfig) == 17  # what is written today
