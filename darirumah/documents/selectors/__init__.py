"""Reads of the documents app: the letters' contents from the other apps' records (sources.py)."""
