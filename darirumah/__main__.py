"""The `darirumah` command: Django's manage.py plus the product's own commands.

darirumah demo                      create the demo agencies (idempotent)
darirumah serve [--host] [--port]   serve the web application
darirumah worker                    run the background job worker (Huey consumer, timed jobs)
darirumah token create <NIP|user>   create a personal API token
darirumah import_employees FILE     import units and employees from CSV or XLSX
darirumah <any manage.py command>
"""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "darirumah.settings")
    from django.core.management import execute_from_command_line

    argv = list(sys.argv)
    argv[0] = "darirumah"
    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
