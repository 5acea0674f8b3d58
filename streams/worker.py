"""`raas worker`: one Faust worker with the ingress and the tenant directory beside it.

If either background thread dies, the worker stops and exits with code 1 (`streams.lifelines`).
"""

from __future__ import annotations

import gc
import logging

from raas import metrics
from raas.clients import ensure_topics, make_admin
from raas.config import Settings
from raas.deadletters import DeadLetters
from raas.onboarding import ensure_admin_topic
from raas.topics import (
    AUTHENTIC_PERSONS,
    AUTHENTIC_REPLACEMENTS,
    DIMONA_DECLARATIONS,
    internal_topics,
    shared_topics,
)
from streams import dimona, register, watchdog
from streams.app import RaasApp, create_app, use_uvloop
from streams.ingress import Ingress
from streams.lifelines import EXIT_CODE, Lifeline
from streams.stopping import BoundedWorker
from streams.tenants import TenantDirectory

log = logging.getLogger(__name__)


def prepare_topics(settings: Settings) -> None:
    """Create the shared topics up front: Faust ignores a source topic that does not exist yet."""
    admin = make_admin(settings)
    ensure_admin_topic(settings)
    topics = shared_topics() + internal_topics(settings.app_id)
    ensure_topics(admin, topics, partitions=settings.partitions)


def prepare_changelogs(settings: Settings, raas: RaasApp) -> None:
    """Create the tables' changelog topics before Faust starts. Faust makes them at start, and a
    changelog made then can be missing from the first assignment's metadata: the table then sees
    0 partitions and refuses every write ("the changelog topic has 0 partitions")."""
    names = [table.changelog_topic.get_topic_name() for table in raas.app.tables.values()]
    config = {"cleanup.policy": "compact"}  # as Faust declares a table's changelog
    ensure_topics(make_admin(settings), names, partitions=settings.partitions, config=config)


GC_YOUNGEST = 20_000  # allocations between collections of the youngest generation (Python: 700)


def settle_memory() -> None:
    """Spare the collector what start-up made: the modules, the app, its agents and tables stay
    for the worker's life, so `gc.freeze` moves them out of the generations the collector scans.
    The youngest generation is collected every GC_YOUNGEST allocations, not 700: a command
    allocates a few hundred objects, nearly all freed by reference counting, not by the
    collector."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(GC_YOUNGEST, *gc.get_threshold()[1:])


def run(settings: Settings, name: str = "worker-1", loglevel: str = "info") -> None:
    """Run a worker in the foreground until it is stopped (SIGINT / SIGTERM)."""
    use_uvloop()
    prepare_topics(settings)
    raas = create_app(settings, worker_name=name)
    prepare_changelogs(settings, raas)
    lifeline = Lifeline()
    tenants = TenantDirectory(settings, lifeline)
    ingress = Ingress(settings, tenants, lifeline)
    dead = DeadLetters(settings, consumer=f"{settings.app_id}-{name}")
    register.install(raas, tenants, dead, dimona.install(raas, tenants, dead, settings))
    watchdog.install(
        raas.app,
        [
            *internal_topics(settings.app_id),
            AUTHENTIC_PERSONS,
            DIMONA_DECLARATIONS,
            AUTHENTIC_REPLACEMENTS,
        ],
    )

    metrics.watch_faust(
        raas.app, [raas.register, raas.identities, raas.dimona_routes, raas.bis_days]
    )
    metrics.serve(settings.metrics_port, settings.metrics_host)
    tenants.start()
    ingress.start()
    settle_memory()
    try:
        BoundedWorker(raas.app, loglevel=loglevel, quiet=True).execute_from_commandline()
    finally:
        ingress.stop()
        tenants.stop()
        dead.close()
        if lifeline.death is not None:  # Faust stopped as on SIGTERM; the exit code says why
            log.critical("worker exits with code %d: %s", EXIT_CODE, lifeline.death)
            raise SystemExit(EXIT_CODE)
