"""Exit 0 when the PostgreSQL server in the given URL answers, 1 otherwise (used by `make test`)."""

import sys

import psycopg


def main() -> int:
    url = sys.argv[1]
    # Connect to the maintenance database: the target database is created by the test run.
    base, _, _name = url.rpartition("/")
    try:
        with psycopg.connect(f"{base}/postgres", connect_timeout=3):
            return 0
    except psycopg.Error:
        return 1


if __name__ == "__main__":
    sys.exit(main())
