"""The read side: sinks that project topics into the database exactly once, and its queries.

`tables` defines the tables (the one place), `migrations` creates them (Alembic), `rows` maps
records to rows (pure), `routes` says which sink reads which topic, `writing` commits a batch
with its offsets, `loop` runs the consumers, `queries` answers the operator commands.
"""
