"""Interoperability formats: ClaimReview, CSV and JSONL, the pure part.

Nothing here imports Flask or touches the database. The modules parse, normalise, map and
serialise plain values; the import and export services (built on the models) call them.

- :mod:`tracker.interop.claimreview_in`: read ClaimReview from JSON, JSONL, DataFeeds, Google
  Fact Check Tools API responses, HTML pages (JSON-LD and microdata) and folders of them.
- :mod:`tracker.interop.claimreview_out`: build ClaimReview dicts and DataFeeds from our data.
- :mod:`tracker.interop.ratings`: map other organisations' ratings onto our verdict scale.
- :mod:`tracker.interop.rows`: read CSV and JSONL rows through a column mapping; write them.
- :mod:`tracker.interop.mapping`: the column mappings shipped in ``mappings/``.
- :mod:`tracker.interop.records`: the full-fidelity ``tracker`` JSONL record.
"""
