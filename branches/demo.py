"""Demo data of the branches app (loaded by `manage.py load_demo`)."""


def load(stdout) -> None:
    """Idempotent: a second run finds the data and adds nothing."""
