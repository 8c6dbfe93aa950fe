from .import_plan import Command  # noqa: F401  (the `cchc import-plan` spelling)
