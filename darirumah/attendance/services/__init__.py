"""Writes of the attendance app, one module per area (checkin, records, vicon, incidents)."""
