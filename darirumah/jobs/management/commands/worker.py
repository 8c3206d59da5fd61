"""`darirumah worker`: the background job worker (Huey's consumer, with the periodic scheduler
that starts the timed jobs every minute). Takes run_huey's options, e.g. `--workers 4`."""

from huey.contrib.djhuey.management.commands.run_huey import Command as RunHuey


class Command(RunHuey):
    help = "Run the background job worker (timed jobs and queued tasks)."
