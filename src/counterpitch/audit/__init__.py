"""Organisation exposure audit: what our people's own profiles give away, and what a stranger can piece together.

ASIO found over 100 people on one military project naming it on their profiles; MI5 says hostile services
build a picture from small pieces. This package answers, for a whole staff list, before an adversary does:
who advertises a clearance, a programme or a privileged role, what the profiles say together, and whom to help
first. It is a face over the same engine and `exposure.*` detectors as everything else.

Layout, in the order the data flows:
    inputs.py     profiles from JSONL/JSON, CSV (documented mapping), Parquet, folders of LinkedIn archives
    core.py       one profile -> its exposure Assessment (findings scored by scoring/exposure.py)
    summary.py    OrgSummary: bounded, mergeable counts and the most exposed people (Dask partitions reduce
                  to exactly the single-process result)
    titles.py     what a job title says about rank and reporting lines ("Deputy to ...", "Head of ...")
    mosaic.py     a bounded, mergeable extract per exposed person, and the networkx graph built from it
    approached.py the service's reports table, read-only: who has already been approached
    export.py     CSV safe against formula injection, JSON of the summary
"""
