"""Cross-referencing engine: quantities, figure checks, claim matching. No Flask here.

* ``tracker.xref.quantities`` — ``extract_quantities(text, lang)``: numbers in claims.
* ``tracker.xref.periods`` — ``extract_period(text, lang)``: the period a text talks about.
* ``tracker.xref.figures`` — ``compare``, ``breakdown``, ``check_text``: a claim's numbers
  against published figures, with a reason a reader understands.
* ``tracker.xref.fingerprint`` — ``claim_fingerprint(text)``: near-identical claims at entry.
* ``tracker.xref.embeddings``, ``vectors``, ``vector_index``, ``semantic`` — the semantic
  stage: pluggable sentence encoders, compact stored vectors, in-memory vector search.
* ``tracker.xref.fusion`` — combining lexical and semantic rankings.
"""
