"""A simulator of the outside world: persons, identity changes, replacements and Dimona.

Every generator is a pure function of its seed (and of how many persons it draws on): the same
seed gives the same records, in the same order, whatever the rate or the day. `publishing` is the
only module that talks to a broker.

    from raas.simulator.persons import simulated_persons
    first_50 = list(itertools.islice(simulated_persons(seed=1), 50))
"""

from __future__ import annotations

from datetime import UTC, datetime

# The simulator's clock: records carry times from here on, one second apart, so they repeat.
EPOCH = datetime(2026, 1, 1, tzinfo=UTC)
