"""`python -m tracker ...`: the `tracker` command, run by the interpreter at hand (from a
checkout that is not the installed one, or without the virtualenv's bin on the PATH)."""

from tracker.cli import main

main()
