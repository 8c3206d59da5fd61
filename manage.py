#!/usr/bin/env python
"""Django's manage.py; `darirumah` (python -m darirumah) is the same with a few more commands."""

from darirumah.__main__ import main

if __name__ == "__main__":
    main()
