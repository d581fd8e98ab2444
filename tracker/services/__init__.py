"""Business logic: plain functions that take a session, change records, audit and flush.

They never commit (the caller owns the transaction) and never import Flask, so the desk,
the API, the command line and background jobs all share them. They raise the domain errors
of `tracker.errors`, which views turn into messages.
"""
