"""The roster planner benchmark's synthetic agencies (see bench/bench_roster.py)."""
