"""Run untrusted notebook code in a sandbox: bubblewrap namespaces, rlimits and cgroups.

Imports nothing of peaceops outside this folder, so that it can be read (and audited) on
its own. ``bubblewrap.run(job, files, limits)`` is the one entry point; ``runner.py`` is
the script that runs inside.
"""
