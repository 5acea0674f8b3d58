"""The register bench: the RAAS pipeline against its baselines and a peer, in one run.

    python -m bench.register                 # every figure of issue 10 (200k commands)
    python -m bench.register --commands 20000 --insz 5000 --output /tmp/rt.json

Phases, in order, on the broker at RAAS_BOOTSTRAP_SERVERS, each end to end:

1. `baselines`: a confluent-kafka consume -> produce passthrough, then one Faust agent with our
   app's settings and levers that forwards: the same encoded commands, keyed by request id.
2. `pipeline`: fresh tenants and persons, one `raas worker`; the commands go to the tenants'
   commands topics, keyed by INSZ, open loop (the maximum), then `paced` at 50% and 80% of it.
3. `quix`: the same topology on Quix Streams (bench/peers/quix), on the same commands.

`phase` produces a workload (open loop, or paced on a schedule) and times every result as the
`measure.Collector` sees it arrive; `measure.CpuMeter` counts the CPU seconds of the process under
test, the broker, the bench and the rest of the machine during the phase. `report` turns the phases
into issue 10's figures, writes the JSON (bench/results/register_throughput.json) and prints
a table.
Topics, groups and tenants made by the run are deleted at the end unless `--keep`; the persons
stay on authentic.persons.
"""
