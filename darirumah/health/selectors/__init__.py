"""Reads of the health app, one module per part; every read takes the caller's Access.

- settings.py: the agency's health settings;
"""
