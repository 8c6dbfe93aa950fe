"""The `cchc` console command.

`cchc parse FILE` reads a plan document and `cchc parse-procedures FILE` a decision publishing a list
of administrative procedures, both without starting Django (they must feel instant); every other
sub-command is one of the project's Django management commands (`cchc migrate`, `cchc load-units`,
`cchc runserver` ...).
"""

import os
import sys


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] == "parse":
        from cchc.documents.cli import main as parse_main

        return parse_main(argv[1:])
    if argv and argv[0] == "parse-procedures":
        from cchc.documents.procedures_cli import main as procedures_main

        return procedures_main(argv[1:])
    return _django(argv)


def _django(argv: list[str]) -> int:
    if argv and not argv[0].startswith("-"):
        # `cchc load-units` is the documented spelling of the `load_units` management command.
        argv = [argv[0].replace("-", "_"), *argv[1:]]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    from django.core.exceptions import ImproperlyConfigured

    try:
        from django.core.management import execute_from_command_line
        from django.db.utils import OperationalError

        try:
            execute_from_command_line(["cchc", *argv])
        except OperationalError as exc:
            print(
                f"cchc: the database cannot be reached ({' '.join(str(exc).split())}). Check DATABASE_URL and that the "
                "database server is running, then try again.",
                file=sys.stderr,
            )
            return 2
    except ImproperlyConfigured as exc:
        print(f"cchc: configuration error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
