"""Outputs aggregation on a synthetic province: target_actuals and unit_output_totals against hand-written SQL.

    DJANGO_SETTINGS_MODULE=config.settings.test python benchmarks/outputs_bench.py [records]

Builds, in a throw-away test database, one province with 100 communes, a plan with 20 targets cascaded
to every commune, and N output records (default 200,000) spread over a year; prints the time of each
selector and of an equivalent hand-written query, and checks that both give the same numbers.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.runner import DiscoverRunner  # noqa: E402


def best(fn, repeat=5):
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return min(times) * 1000, out


def main(n_records: int) -> None:
    runner = DiscoverRunner(verbosity=0)
    old = runner.setup_databases()
    try:
        from cchc.org.models import Unit
        from cchc.outputs import selectors
        from cchc.outputs.models import OutputRecord, OutputType
        from cchc.plans.models import Assignment, Plan, Target, Task

        rnd = random.Random(7)
        province = Unit(code="B01", name="Tỉnh thử", kind=Unit.Kind.PROVINCE)
        province.refresh_derived()
        province.save()
        communes = []
        for i in range(100):
            u = Unit(code=f"B01.{i:03d}", name=f"Xã thử {i}", kind=Unit.Kind.COMMUNE, parent=province)
            u.refresh_derived()
            communes.append(u)
        Unit.objects.bulk_create(communes)
        communes = list(Unit.objects.filter(parent=province))
        plan = Plan.objects.create(owner=province, title="KH", status="issued", issued_at=dt.datetime.now(dt.UTC))
        tasks = Task.objects.bulk_create([Task(plan=plan, title=f"Nhiệm vụ {i}", order=i) for i in range(20)])
        targets = Target.objects.bulk_create([Target(task=t, quantity=10, unit="lớp", order=0) for t in tasks])
        child_targets = []
        for c in communes:
            child = Plan.objects.create(owner=c, title="KH xã", parent=plan, status="issued",
                                        issued_at=dt.datetime.now(dt.UTC))
            copies = Task.objects.bulk_create([Task(plan=child, title=t.title, order=t.order, parent_task=t) for t in tasks])
            Assignment.objects.bulk_create([Assignment(task=t, unit=c, role="lead") for t in copies])
            child_targets.append((c, Target.objects.bulk_create([Target(task=t, quantity=10, unit="lớp", order=0)
                                                                  for t in copies])))
        types = list(OutputType.objects.all())
        start = dt.date(2025, 12, 15)
        rows = []
        for i in range(n_records):
            c, ts = child_targets[i % len(child_targets)]
            rows.append(OutputRecord(unit=c, target=rnd.choice(ts), output_type=rnd.choice(types),
                                     date=start + dt.timedelta(days=rnd.randrange(365)), quantity=1,
                                     people_reached=rnd.randrange(100)))
        OutputRecord.objects.bulk_create(rows, batch_size=5000)
        connection.cursor().execute("ANALYZE") if connection.vendor == "sqlite" else None

        ids = [t.pk for t in targets]
        q1 = {"start": dt.date(2025, 12, 15), "end": dt.date(2026, 3, 14)}
        ms, actuals = best(lambda: selectors.target_actuals(target_ids=ids, unit_paths=[province.path], **q1))
        sql = """
            SELECT pt.id, SUM(r.quantity), COUNT(*) FROM outputs_outputrecord r
            JOIN plans_target ct ON ct.id = r.target_id JOIN plans_task ctask ON ctask.id = ct.task_id
            JOIN plans_target pt ON pt.task_id = ctask.parent_task_id AND pt."order" = ct."order"
            JOIN org_unit u ON u.id = r.unit_id
            WHERE r.withdrawn_at IS NULL AND r.date BETWEEN %s AND %s AND u.path LIKE %s
            GROUP BY pt.id"""

        def raw():
            with connection.cursor() as cur:
                cur.execute(sql, [q1["start"], q1["end"], province.path + "%"])
                return cur.fetchall()

        raw_ms, raw_rows = best(raw)
        assert {r[0]: r[2] for r in raw_rows} == {k: v["records"] for k, v in actuals.items() if v["records"]}
        tot_ms, _ = best(lambda: selectors.unit_output_totals(unit_paths=[province.path], **q1))
        unit_ms, _ = best(lambda: selectors.unit_output_totals(unit_paths=[province.path], group_by="unit", **q1))
        print(f"{connection.vendor}: {n_records:,} records, 100 communes, 20 targets cascaded")
        print(f"  target_actuals (Q1, province)      {ms:8.1f} ms   hand-written SQL {raw_ms:8.1f} ms   ratio {ms / raw_ms:4.2f}")
        print(f"  unit_output_totals by output type  {tot_ms:8.1f} ms")
        print(f"  unit_output_totals by unit         {unit_ms:8.1f} ms")
    finally:
        runner.teardown_databases(old)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200_000)
