"""cchc demo-data [--scale national|province] [--province 08] [--year 2026] [--outputs N] [--seed 2026]

A realistic data set to try the platform and to measure it: the unit directory (loaded if absent),
one CCHC communication plan per province (issued, with tasks for its departments, its radio and
television, and "UBND các xã, phường"), a child plan for every unit that has a task, one year of
outputs recorded against the child plans' targets (national: 1,000,000 records) and the year's
reports (most on time, some late, some missing). Deterministic: the same seed gives the same data.

Written in bulk (batches of 10,000 rows) so that the national set builds in minutes on SQLite.
A second run finds the demo plans and stops; `--replace` deletes them first.
"""

from __future__ import annotations

import datetime as dt
import math
import random
import time
from decimal import Decimal

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from cchc.core import periods as rules
from cchc.org.models import Unit
from cchc.plans.models import Assignment, Plan, Target, Task
from cchc.reports.models import ReportingPeriod, ReportLine, ReportVersion, UnitReport

BATCH = 10_000
DEMO_SUFFIX = "/KH-DEMO"
NATIONAL_OUTPUTS = 1_000_000
PROVINCE_OUTPUTS = 40_000

# (title, output type, target quantity, counted thing, rate, who leads, weight of outputs)
TASKS = [
    ("Đăng tải tin, bài tuyên truyền về cải cách hành chính trên Cổng/Trang thông tin điện tử",
     "portal_article", 4, "tin, bài", "quarter", "all", 50),
    ("Tuyên truyền về cải cách hành chính trên hệ thống loa truyền thanh cơ sở", "loudspeaker", 2, "lượt phát", "month",
     "communes", 25),
    ("Tổ chức lớp tập huấn, bồi dưỡng nghiệp vụ cải cách hành chính", "training_class", 10, "lớp", "", "SNV", 3),
    ("Xây dựng chuyên mục cải cách hành chính trên sóng phát thanh, truyền hình", "broadcast_programme", 12, "chuyên mục",
     "year", "BPTTH", 5),
    ("In và phát hành tờ rơi, tờ gấp hướng dẫn thủ tục hành chính, dịch vụ công trực tuyến", "leaflet", 2000, "tờ", "year",
     "communes", 7),
    ("Tổ chức đối thoại giữa lãnh đạo với người dân, doanh nghiệp về thủ tục hành chính", "business_dialogue", 2, "cuộc", "year",
     "departments", 3),
]
NARRATIVES = [
    "Đơn vị đã triển khai đầy đủ các nhiệm vụ tuyên truyền theo kế hoạch; nội dung tập trung vào dịch vụ công trực tuyến.",
    "Các hoạt động tuyên truyền được duy trì thường xuyên, đúng tiến độ; phối hợp tốt với các cơ quan báo chí.",
    "Kết quả đạt được còn khiêm tốn do nhân lực làm công tác cải cách hành chính kiêm nhiệm.",
]
LIMITS = ["Kinh phí còn hạn chế.", "Cán bộ kiêm nhiệm nhiều việc.", "", "Hạ tầng truyền thanh cơ sở xuống cấp."]


class Command(BaseCommand):
    help = "Build the demo data set (plans, child plans, a year of outputs, reports) at province or national scale."

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=["province", "national"], default="province")
        parser.add_argument("--province", default="08", help="province code for --scale province (default 08)")
        parser.add_argument("--year", type=int, default=2026)
        parser.add_argument("--outputs", type=int, help="number of output records (default 1,000,000 national, 40,000 province)")
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--replace", action="store_true", help="delete an existing demo data set first")

    def handle(self, *args, **options):
        started = time.monotonic()
        self.rng = random.Random(options["seed"])
        self.year = options["year"]
        if not Unit.objects.filter(parent__isnull=True, valid_to__isnull=True).exists():
            from cchc.org.loader import load_units

            self.stdout.write("Loading the unit directory ...")
            load_units()
        existing = Plan.objects.filter(number__endswith=DEMO_SUFFIX)
        if existing.exists():
            if not options["replace"]:
                self.stdout.write(f"The demo data set is already there ({existing.count()} province plans); "
                                  "use --replace to build it again.")
                return
            self._delete(existing)
        provinces = Unit.objects.current().filter(kind__in=Unit.PROVINCE_KINDS, parent__isnull=True).order_by("code")
        if options["scale"] == "province":
            provinces = provinces.filter(code=options["province"])
            if not provinces.exists():
                raise CommandError(f"There is no current province with the code {options['province']!r}.")
        provinces = list(provinces)
        total_outputs = options["outputs"] or (NATIONAL_OUTPUTS if options["scale"] == "national" else PROVINCE_OUTPUTS)

        with transaction.atomic():
            plans, unit_targets = self._plans(provinces)
            self.stdout.write(f"{len(plans)} province plans, {len(unit_targets)} units with tasks ({self._t(started)})")
            periods = self._periods(plans)
        count = self._outputs(unit_targets, total_outputs)
        self.stdout.write(f"{count:,} output records ({self._t(started)})")
        with transaction.atomic():
            reports = self._reports(plans, periods, unit_targets)
        self.stdout.write(f"{reports:,} unit reports; done in {self._t(started)}")

    @staticmethod
    def _t(started: float) -> str:
        return f"{time.monotonic() - started:.0f} s"

    def _delete(self, plans) -> None:
        from cchc.outputs.models import OutputRecord

        ids = list(plans.values_list("pk", flat=True))
        child_ids = list(Plan.objects.filter(parent_id__in=ids).values_list("pk", flat=True))
        OutputRecord.objects.filter(task__plan_id__in=ids + child_ids).delete()
        Plan.objects.filter(pk__in=child_ids).delete()
        Plan.objects.filter(pk__in=ids).delete()

    # ------------------------------------------------------------ plans

    def _plans(self, provinces):
        now = timezone.now()
        units_by_province = {}
        for province in provinces:
            children = list(Unit.objects.current().filter(parent=province).only("pk", "code", "name", "kind", "path"))
            units_by_province[province.pk] = children
        plans = []
        for i, province in enumerate(provinces, start=1):
            plans.append(Plan(
                owner=province, kind="KH", number=f"{100 + i}{DEMO_SUFFIX}", symbol="KH-UBND", plan_year=self.year,
                title=f"Kế hoạch tuyên truyền cải cách hành chính năm {self.year}", date=dt.date(self.year, 1, 10),
                place=province.short_name or province.name, issuer=f"Ủy ban nhân dân {province.name}",
                signer_name="Nguyễn Văn A", signer_position="Phó Chủ tịch", signer_authority="KT. Chủ tịch",
                recipients=["Bộ Nội vụ", "Các sở, ban, ngành", "UBND các xã, phường"],
                reporting={"periods": list(rules.CCHC_DEFAULT), "deadlines": [], "recipient": "Sở Nội vụ",
                           "text": "Các cơ quan, đơn vị báo cáo kết quả định kỳ quý, 6 tháng, năm về Sở Nội vụ."},
                status=Plan.Status.ISSUED, issued_at=now, search_text="ke hoach tuyen truyen cai cach hanh chinh",
            ))
        Plan.objects.bulk_create(plans, batch_size=BATCH)
        tasks, targets, assignments, task_units = [], [], [], []
        for plan, province in zip(plans, provinces):
            children = units_by_province[province.pk]
            communes = [u for u in children if u.kind in Unit.COMMUNE_KINDS]
            departments = [u for u in children if u.kind == Unit.Kind.DEPARTMENT]
            by_key = {u.code.split(".", 1)[1]: u for u in children if "." in u.code}
            for order, (title, otype, qty, counted, per, lead, _w) in enumerate(TASKS, start=1):
                task = Task(plan=plan, order=order, title=title, timeframe_text="Thường xuyên",
                            start=dt.date(self.year, 1, 1), end=dt.date(self.year, 12, 31), recurrence="continuous",
                            status=Task.Status.IN_PROGRESS, progress=self.rng.randint(10, 60))
                tasks.append(task)
                targets.append(Target(task=task, quantity=Decimal(qty), unit=counted, per=per,
                                      text=f"{qty} {counted}" + {"quarter": "/quý", "month": "/tháng", "year": "/năm", "": ""}[per]))
                if lead == "all":
                    leads = departments + communes
                elif lead == "communes":
                    leads = communes
                elif lead == "departments":
                    leads = departments
                else:
                    leads = [by_key[lead]] if lead in by_key else departments[:1]
                for unit in leads:
                    group = unit.kind in Unit.COMMUNE_KINDS
                    assignments.append(Assignment(task=task, unit=unit, role=Assignment.Role.LEAD, is_group=group,
                                                  phrase="UBND các xã, phường" if group else unit.name))
                    task_units.append((task, unit, otype))
        Task.objects.bulk_create(tasks, batch_size=BATCH)
        for row in targets + assignments:
            row.task_id = row.task.pk
        Target.objects.bulk_create(targets, batch_size=BATCH)
        Assignment.objects.bulk_create(assignments, batch_size=BATCH)
        return plans, self._children(plans, task_units, {t.task_id: t for t in targets})

    def _children(self, plans, task_units, target_of):
        """One child plan per unit with tasks, its tasks copied with their targets; returns, per unit,
        [(child target id, output type, parent target, child task id)]."""
        now = timezone.now()
        units = {}
        for task, unit, _otype in task_units:
            units.setdefault((task.plan_id, unit.pk), unit)
        plan_by_id = {p.pk: p for p in plans}
        children = {
            key: Plan(owner=unit, kind="KH", number="", plan_year=self.year, title=plan_by_id[key[0]].title,
                      parent=plan_by_id[key[0]], issuer=unit.name, status=Plan.Status.ISSUED, issued_at=now,
                      reporting=plan_by_id[key[0]].reporting)
            for key, unit in units.items()
        }
        Plan.objects.bulk_create(list(children.values()), batch_size=BATCH)
        copies, copy_targets, rows, meta = [], [], [], []
        for task, unit, otype in task_units:
            child = children[(task.plan_id, unit.pk)]
            parent_target = target_of[task.pk]
            copy = Task(plan=child, order=task.order, title=task.title, timeframe_text=task.timeframe_text, start=task.start,
                        end=task.end, recurrence=task.recurrence, parent_task=task, status=Task.Status.IN_PROGRESS,
                        progress=self.rng.randint(0, 100))
            copies.append(copy)
            copy_targets.append(Target(task=copy, quantity=parent_target.quantity, unit=parent_target.unit,
                                       per=parent_target.per, text=parent_target.text))
            rows.append(Assignment(task=copy, unit=unit, role=Assignment.Role.LEAD, phrase=unit.name))
            meta.append((unit, otype, parent_target))
        Task.objects.bulk_create(copies, batch_size=BATCH)
        for row in copy_targets + rows:
            row.task_id = row.task.pk
        Target.objects.bulk_create(copy_targets, batch_size=BATCH)
        Assignment.objects.bulk_create(rows, batch_size=BATCH)
        unit_targets: dict[int, dict] = {}
        for (unit, otype, parent_target), target in zip(meta, copy_targets):
            entry = unit_targets.setdefault(unit.pk, {"unit": unit, "targets": []})
            entry["targets"].append((target.pk, otype, parent_target, target.task_id))
        return unit_targets

    def _periods(self, plans):
        periods = []
        for plan in plans:
            for order, dates in enumerate(rules.plan_periods(plan.reporting, self.year)):
                periods.append(ReportingPeriod(plan=plan, code=dates.code, year=self.year, start=dates.start, end=dates.end,
                                               due=dates.due, rule_text=plan.reporting["text"], order=order))
        ReportingPeriod.objects.bulk_create(periods, batch_size=BATCH)
        return periods

    # ------------------------------------------------------------ outputs

    def _outputs(self, unit_targets, total: int) -> int:
        from cchc.outputs.models import OutputRecord, OutputType

        types = dict(OutputType.objects.values_list("code", "pk"))
        weights = {t[1]: t[6] for t in TASKS}
        first, last = rules.cutoff("Y", self.year)
        span = (last - first).days
        plan = []
        for entry in unit_targets.values():
            for target_id, otype, _parent, task_id in entry["targets"]:
                plan.append((entry["unit"].pk, target_id, task_id, otype, weights[otype]))
        total_weight = sum(w for *_rest, w in plan)
        rng = self.rng
        channels = {"portal_article": "Trang thông tin điện tử", "loudspeaker": "Đài truyền thanh cơ sở",
                    "broadcast_programme": "Báo và Phát thanh, Truyền hình tỉnh"}
        batch, written = [], 0
        now = timezone.now()
        for unit_id, target_id, task_id, otype, weight in plan:
            n = max(1, math.ceil(total * weight / total_weight))
            for _ in range(n):
                people = None
                quantity = 1
                if otype == "training_class":
                    people = rng.randint(20, 80)
                elif otype == "business_dialogue":
                    people = rng.randint(10, 60)
                elif otype == "leaflet":
                    quantity = rng.choice((100, 200, 300, 500))
                elif otype == "loudspeaker":
                    quantity = rng.randint(1, 4)
                batch.append(OutputRecord(
                    unit_id=unit_id, task_id=task_id, target_id=target_id, output_type_id=types[otype],
                    date=first + dt.timedelta(days=rng.randrange(span + 1)), quantity=Decimal(quantity),
                    people_reached=people, channel=channels.get(otype, ""), source=OutputRecord.SOURCE_SPREADSHEET,
                    created_at=now, updated_at=now,
                ))
                if len(batch) >= BATCH:
                    OutputRecord.objects.bulk_create(batch)
                    written += len(batch)
                    batch = []
        if batch:
            OutputRecord.objects.bulk_create(batch)
            written += len(batch)
        return written

    # ------------------------------------------------------------ reports

    def _reports(self, plans, periods, unit_targets) -> int:
        """Reports for the periods already due by the end of the data set's year (all but Y), with
        their lines counted by one GROUP BY per period over the outputs."""
        from django.db.models import Count, Sum

        from cchc.outputs.models import OutputRecord
        from cchc.reports.selectors import _planned_for_period

        rng = self.rng
        plan_of_unit = {}
        for unit_id, entry in unit_targets.items():
            plan_of_unit[unit_id] = entry["targets"][0][2].task.plan_id
        by_plan_code = {(p.plan_id, p.code): p for p in periods}
        reports, lines_for, versions = [], {}, []
        rates = {"Q1": (0.95, 0.85), "H1": (0.9, 0.8), "Q3": (0.85, 0.7)}
        for code, (submit_rate, on_time_rate) in rates.items():
            for unit_id, entry in unit_targets.items():
                period = by_plan_code[(plan_of_unit[unit_id], code)]
                roll = rng.random()
                if roll > submit_rate:
                    if rng.random() < 0.3:  # opened a draft and never sent it
                        reports.append(UnitReport(unit_id=unit_id, plan_id=period.plan_id, period=period,
                                                  results=rng.choice(NARRATIVES)))
                    continue
                on_time = rng.random() < on_time_rate
                offset = -rng.randint(0, 10) if on_time else rng.randint(1, 20)
                at = timezone.make_aware(dt.datetime.combine(period.due + dt.timedelta(days=offset), dt.time(9, 30)))
                accepted = rng.random() < 0.7
                reports.append(UnitReport(
                    unit_id=unit_id, plan_id=period.plan_id, period=period,
                    status=UnitReport.Status.ACCEPTED if accepted else UnitReport.Status.SUBMITTED,
                    results=rng.choice(NARRATIVES), limitations=rng.choice(LIMITS),
                    proposals="Đề nghị tăng cường tập huấn kỹ năng truyền thông cho cán bộ cơ sở.",
                    submitted_at=at, last_submitted_at=at, on_time=on_time, accepted_at=at if accepted else None,
                    counted_at=at, version=2 if accepted else 1,
                ))
        UnitReport.objects.bulk_create(reports, batch_size=BATCH)
        submitted = [r for r in reports if r.submitted_at]
        # lines: the counted actuals of each unit's targets in each window
        child_to_parent = {tid: (parent, task_id) for entry in unit_targets.values()
                           for tid, _o, parent, task_id in entry["targets"]}
        by_period: dict[int, list[UnitReport]] = {}
        for report in submitted:
            by_period.setdefault(report.period_id, []).append(report)
        period_by_id = {p.pk: p for p in periods}
        line_rows = []
        for code in rates:
            windows = [p for p in periods if p.code == code]
            start, end = windows[0].start, windows[0].end
            sums = {
                (row["unit_id"], row["target_id"]): row
                for row in OutputRecord.objects.filter(date__gte=start, date__lte=end)
                .values("unit_id", "target_id").annotate(q=Sum("quantity"), p=Sum("people_reached"), n=Count("id")).order_by()
            }
            for period in windows:
                for report in by_period.get(period.pk, []):
                    for i, (tid, _o, parent, _task_id) in enumerate(unit_targets[report.unit_id]["targets"]):
                        found = sums.get((report.unit_id, tid)) or {"q": 0, "p": 0, "n": 0}
                        line_rows.append(ReportLine(
                            report=report, target_id=parent.pk, task_id=parent.task_id, task_title=parent.task.title,
                            task_status=Task.Status.IN_PROGRESS, target_text=parent.text,
                            planned=_planned_for_period(parent, period_by_id[report.period_id]),
                            quantity=found["q"] or 0, people_reached=found["p"] or 0, records=found["n"], order=i,
                        ))
                    versions.append(ReportVersion(report=report, number=1, action=ReportVersion.Action.SUBMIT,
                                                  snapshot={"results": report.results}, token=""))
                    if report.status == UnitReport.Status.ACCEPTED:
                        versions.append(ReportVersion(report=report, number=2, action=ReportVersion.Action.ACCEPT,
                                                      snapshot={"results": report.results}))
        ReportLine.objects.bulk_create(line_rows, batch_size=BATCH)
        ReportVersion.objects.bulk_create(versions, batch_size=BATCH)
        return len(reports)
