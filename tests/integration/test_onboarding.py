"""`raas tenant add` makes the tenant's four topics with RAAS_TENANT_PARTITIONS partitions each.

Every regex consumer (the ingress, the sinks) fetches every partition of every tenant topic in each
fetch request, so a tenant topic costs the broker per partition, whatever its traffic.
"""

from __future__ import annotations

from raas.clients import make_admin
from raas.config import Settings
from raas.onboarding import tenant_topics
from tests.integration.cli import against, raas
from tests.integration.numbers import new_kbo


def _partitions(settings: Settings, kbo: str) -> dict[str, int]:
    topics = make_admin(settings).list_topics(timeout=30).topics
    return {t: len(topics[t].partitions) for t in tenant_topics(kbo) if t in topics}


def test_a_new_tenant_gets_four_topics_of_one_partition_by_default(settings: Settings) -> None:
    kbo = new_kbo()
    added = raas("tenant", "add", kbo, "--name", "One", "-t", "1:member", env=against(settings))
    assert added.returncode == 0, added.stderr
    assert _partitions(settings, kbo) == {t: 1 for t in tenant_topics(kbo)}


def test_the_tenant_partitions_setting_gives_its_count_to_a_new_tenant(settings: Settings) -> None:
    kbo = new_kbo()
    env = {**against(settings), "RAAS_TENANT_PARTITIONS": "3"}
    added = raas("tenant", "add", kbo, "--name", "Three", "-t", "1:member", env=env)
    assert added.returncode == 0, added.stderr
    assert _partitions(settings, kbo) == {t: 3 for t in tenant_topics(kbo)}
