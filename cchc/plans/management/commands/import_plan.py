"""`cchc import-plan FILE --unit CODE [--user NAME]`: import a plan document without the review page."""

from __future__ import annotations

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand, CommandError

from cchc.org.models import Unit
from cchc.plans import selectors, services


class Command(BaseCommand):
    help = "Import a plan document (.docx, .pdf, .txt, .md) as a draft plan of a unit; unresolved agencies are listed."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--unit", required=True, help="code of the unit that owns the plan, e.g. 08")
        parser.add_argument("--user", help="user name recorded as the importer")
        parser.add_argument("--update", action="store_true",
                            help="update the plan with the same number and issuer when it exists")

    def handle(self, *args, **opts):
        path = Path(opts["file"])
        if not path.is_file():
            raise CommandError(f"{path}: no such file.")
        unit = Unit.objects.filter(code=opts["unit"]).first()
        if unit is None:
            raise CommandError(f"There is no unit with the code {opts['unit']!r}. Run `cchc load-units` or check the code.")
        user = None
        if opts.get("user"):
            user = get_user_model().objects.filter(username=opts["user"]).first()
            if user is None:
                raise CommandError(f"There is no user {opts['user']!r}.")
        if path.stat().st_size > 0:
            with path.open("rb") as fh:
                upload = SimpleUploadedFile(path.name, b"")
                upload.size = path.stat().st_size
                upload.file = fh
                try:
                    services.check_upload(upload)
                    fh.seek(0)
                    parsed, data, name = services.parse_upload(upload=upload)
                except services.PlanError as exc:
                    raise CommandError(str(exc)) from exc
        else:
            raise CommandError(f"{path.name} is empty.")
        duplicate = selectors.find_duplicate(parsed)
        from cchc.plans.agencies import resolve_document

        resolutions = resolve_document(parsed, context=unit)
        if duplicate is not None:
            if not opts["update"]:
                raise CommandError(
                    f"The plan {duplicate.number} is already in the platform (id {duplicate.pk}). "
                    "Run again with --update to update it."
                )
            diff = services.plan_update_from_document(plan=duplicate, user=user, parsed=parsed, resolutions=resolutions,
                                                      source_name=name, source_bytes=data)
            plan = duplicate
            self.stdout.write(f"Updated plan {plan.pk}: {len(diff['added'])} tasks added, {len(diff['removed'])} gone, "
                              f"{len(diff['changed'])} changed.")
        else:
            try:
                plan = services.plan_import(user=user, owner=unit, parsed=parsed, resolutions=resolutions,
                                            source_name=name, source_bytes=data)
            except services.PlanError as exc:
                raise CommandError(str(exc)) from exc
            self.stdout.write(f"Imported plan {plan.pk} “{plan}”: {plan.tasks.count()} tasks.")
        unresolved = [(i + 1, item["text"]) for i, t in enumerate(resolutions.get("tasks") or [])
                      for role in ("lead", "support") for item in t.get(role) or [] if not item.get("unit_ids")]
        if unresolved:
            self.stdout.write(f"{len(unresolved)} agency phrases did not match a unit:")
            for n, text in unresolved:
                self.stdout.write(f"  task {n}: {text}")
