"""Writes of the health app, one module per part.

- audit.py: the log of reads and changes of named health data;
- roster.py: what health measures do to the roster (isolation, closure → the days' modes);
"""
