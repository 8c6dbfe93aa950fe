"""Times the public search of the procedure catalogue on a catalogue of 10,000+ procedures, on SQLite
and (when reachable) PostgreSQL. Not a test: it prints figures. Goal: every query under 100 ms.

    python benchmarks/procedures_search.py [--engines sqlite,postgres] [--per-unit 10000] [--repeat 15]

For each engine a throw-away database is made (SQLite: a temporary file; PostgreSQL: the database
cchc_bench_procedures on postgres://postgres@127.0.0.1:5432, dropped at the end) and migrated. The
catalogue is built from the real procedure names of the annotated decisions (tests/data/procedures/
gold/*.json, with their fields and levels), and a few everyday procedures a citizen looks for,
replicated with the qualifiers real lists carry ("đối với tổ chức", "(cấp tỉnh)", "trong trường hợp
…") and spread over fields, agencies and online levels: --per-unit procedures for the province whose
site is searched, and a tenth of that for each of three other provinces. Procedures are saved in bulk
and indexed with `search.reindex`, as an import would.

Each query runs --repeat times through `public.find` (the function the public list calls) with the
count and the first page read, as the page reads them, and then through the page itself (test client,
page cache off, after one warming request; the filters' lists of fields and agencies are kept per
site until the catalogue changes, as on a running server). Prints p50 / p95 / max in ms per query and
engine.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "tests" / "data" / "procedures" / "gold"
PG_ADMIN = "postgres://postgres@127.0.0.1:5432/postgres"
PG_DB = "cchc_bench_procedures"

EVERYDAY = [
    ("Cấp giấy phép xây dựng mới đối với nhà ở riêng lẻ", "Xây dựng", "commune"),
    ("Cấp giấy phép xây dựng sửa chữa, cải tạo công trình", "Xây dựng", "province"),
    ("Đăng ký khai sinh", "Hộ tịch", "commune"),
    ("Đăng ký kết hôn", "Hộ tịch", "commune"),
    ("Đăng ký khai tử", "Hộ tịch", "commune"),
    ("Cấp phiếu lý lịch tư pháp", "Lý lịch tư pháp", "province"),
    ("Chứng thực bản sao từ bản chính giấy tờ, văn bản", "Chứng thực", "commune"),
    ("Đăng ký biến động quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất", "Đất đai", "province"),
    ("Cấp Giấy chứng nhận quyền sử dụng đất lần đầu", "Đất đai", "province"),
    ("Đăng ký thành lập hộ kinh doanh", "Thành lập và hoạt động của hộ kinh doanh", "commune"),
]
QUALIFIERS = ["", " đối với tổ chức", " đối với cá nhân", " (cấp tỉnh)", " (cấp xã)", " trong trường hợp bị mất, hỏng",
              " có yếu tố nước ngoài", " cho doanh nghiệp nhỏ và vừa", " thực hiện tại Trung tâm Phục vụ hành chính công",
              " theo hình thức trực tuyến", " lần đầu", " (thủ tục liên thông)"]
EXTRA_FIELDS = ["Hộ tịch", "Xây dựng", "Đất đai", "Chứng thực", "Giáo dục và Đào tạo", "Y tế", "Việc làm",
                "Người có công", "Bảo trợ xã hội", "Đầu tư", "Thương mại", "Giao thông vận tải", "Môi trường",
                "Nông nghiệp", "Văn hóa", "Du lịch", "Tài chính", "Nội vụ", "Tư pháp", "Khoa học và Công nghệ"]
AGENCIES = ["Sở Xây dựng", "Sở Nội vụ", "Sở Tư pháp", "Sở Nông nghiệp và Môi trường", "Sở Khoa học và Công nghệ",
            "Sở Tài chính", "Sở Y tế", "Sở Giáo dục và Đào tạo", "Sở Công Thương", "Sở Văn hóa, Thể thao và Du lịch",
            "Ủy ban nhân dân cấp xã", "Ủy ban nhân dân cấp tỉnh", "Thanh tra tỉnh", "Ban Dân tộc và Tôn giáo"]


def gold_names() -> list[tuple[str, str, str]]:
    seen, rows = set(), []
    levels = {"tỉnh": "province", "xã": "commune", "trung ương": "central"}
    for path in sorted(GOLD.glob("*.json")):
        for p in json.loads(path.read_text(encoding="utf-8"))["procedures"]:
            if p["name"] not in seen:
                seen.add(p["name"])
                rows.append((p["name"], p.get("field") or "", levels.get(p.get("level") or "", "province")))
    return rows + EVERYDAY


def queries(sample_name: str, sample_code: str) -> list[tuple[str, str, dict]]:
    none = {"level": "", "field": "", "agency": "", "online": ""}
    return [
        ("no accents, phrase", "cap giay phep xay dung", none),
        ("accents, phrase", "Cấp giấy phép xây dựng", none),
        ("one word", "đất", none),
        ("two words", "khai sinh", none),
        ("prefix being typed", "chung nhan quyen su d", none),
        ("long phrase (a real name)", sample_name, none),
        ("code", sample_code, none),
        ("rare word", "khoang san", none),
        ("no match, falls back to any word", "giay phep khai thac thuy san vung bien xa bo", none),
        ("FTS operators", 'NEAR("cap" giay) AND * OR -', none),
        ("field filter + words", "dang ky", {**none, "field": "Hộ tịch"}),
        ("level + online filters", "", {**none, "level": "xa", "online": "toan-trinh"}),
        ("no query (Vietnamese order), page 1", "", none),
    ]


def child(engine: str, url: str, per_unit: int, repeat: int) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import override_settings

    from cchc.org.models import Unit
    from cchc.portal.models import PublicSite
    from cchc.procedures import public, search
    from cchc.procedures.models import Procedure

    call_command("migrate", verbosity=0)
    rng = random.Random(20260101)

    def unit(code, name, kind, parent=None):
        u = Unit(code=code, name=name, kind=kind, parent=parent)
        u.refresh_derived()
        u.save()
        return u

    province = unit("B08", "Tỉnh Tuyên Quang", Unit.Kind.PROVINCE)
    commune = unit("B08.X1", "Xã Đồng Văn", Unit.Kind.COMMUNE, province)
    others = [unit(f"B9{i}", f"Tỉnh thử {i}", Unit.Kind.PROVINCE) for i in range(3)]
    site = PublicSite.objects.create(unit=province, slug="bench", title="CCHC tỉnh Tuyên Quang")
    PublicSite.objects.create(unit=commune, slug="bench-xa", title="CCHC xã Đồng Văn")

    names = gold_names()
    serial = [0]

    def build(owner, count):
        rows = []
        for i in range(count):
            base, field, level = names[i % len(names)]
            qualifier = QUALIFIERS[(i // len(names)) % len(QUALIFIERS)]
            round_ = i // (len(names) * len(QUALIFIERS))
            name = base + qualifier + (f" – trường hợp {round_ + 1}" if round_ else "")
            serial[0] += 1
            rows.append(Procedure(
                unit=owner, name=name, code=f"{rng.choice('12')}.{serial[0]:06d}.000.00.00.H{rng.randint(1, 64):02d}",
                field=field or rng.choice(EXTRA_FIELDS), level=level, agency=rng.choice(AGENCIES),
                online_level=rng.choice(["full", "partial", "none", ""]), postal=rng.random() < 0.6,
                time_limit=f"{rng.randint(1, 45)} ngày làm việc", fee="Không" if rng.random() < 0.4 else "50.000 đồng",
                place="Trung tâm Phục vụ hành chính công tỉnh", status="abolished" if rng.random() < 0.05 else "active"))
        Procedure.objects.bulk_create(rows, batch_size=1000)

    t0 = time.perf_counter()
    build(province, per_unit)
    for other in others:
        build(other, per_unit // 10)
    search.reindex(Procedure.objects.all())
    total = Procedure.objects.count()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE procedures_procedure")
    elif connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(f"[{engine}] {total:,} procedures ({per_unit:,} in the searched province's catalogue) built and indexed "
          f"in {time.perf_counter() - t0:.1f} s")

    sample = Procedure.objects.filter(unit=province, status="active").order_by("pk")[per_unit // 3]
    rows = []
    client = Client()
    with override_settings(CCHC_PUBLIC_CACHE_SECONDS=0, ALLOWED_HOSTS=["testserver"]):
        client.get("/cong/bench/thu-tuc/")  # a warm server: templates compiled, connection open
        for label, text, filters in queries(sample.name, sample.national_code):
            times, view_times, hits = [], [], 0
            for _ in range(repeat):
                t = time.perf_counter()
                found, _query, _loose = public.find(site, text=text, filters=filters)
                hits = found.count()
                list(found.only(*public._LIST_FIELDS)[:public.PAGE_SIZE])
                times.append((time.perf_counter() - t) * 1000)
            params = {"q": text, "cap": filters["level"], "linh-vuc": filters["field"], "truc-tuyen": filters["online"]}
            for _ in range(repeat):
                t = time.perf_counter()
                response = client.get("/cong/bench/thu-tuc/", {k: v for k, v in params.items() if v})
                view_times.append((time.perf_counter() - t) * 1000)
                assert response.status_code == 200, response.status_code
            rows.append((label, hits, times, view_times))
    # the commune's site (province catalogue, commune level by default) and a procedure page
    for label, path in (("commune site, default list", "/cong/bench-xa/thu-tuc/"),
                        ("procedure page", f"/cong/bench/thu-tuc/{sample.pk}/"),
                        ("recent changes page", "/cong/bench/thu-tuc/moi-cong-bo/")):
        with override_settings(CCHC_PUBLIC_CACHE_SECONDS=0, ALLOWED_HOSTS=["testserver"]):
            view_times = []
            for _ in range(repeat):
                t = time.perf_counter()
                assert client.get(path).status_code == 200
                view_times.append((time.perf_counter() - t) * 1000)
        rows.append((label, None, [], view_times))

    def fmt(values):
        if not values:
            return f"{'':>22}"
        values = sorted(values)
        p95 = values[min(len(values) - 1, int(round(0.95 * (len(values) - 1))))]
        return f"{statistics.median(values):6.1f} {p95:6.1f} {values[-1]:6.1f}  "

    print(f"[{engine}] {'query':40} {'hits':>6}   search p50/p95/max ms   page p50/p95/max ms")
    worst = 0.0
    for label, hits, times, view_times in rows:
        worst = max([worst, *times, *view_times])
        print(f"[{engine}] {label:40} {'' if hits is None else hits:>6}   {fmt(times)}   {fmt(view_times)}")
    print(f"[{engine}] slowest single answer: {worst:.1f} ms ({'under' if worst < 100 else 'OVER'} the 100 ms goal)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engines", default="sqlite,postgres")
    parser.add_argument("--per-unit", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.url, args.per_unit, args.repeat)
        return 0
    status = 0
    for engine in args.engines.split(","):
        engine = engine.strip()
        if engine == "sqlite":
            with tempfile.TemporaryDirectory() as tmp:
                url = f"sqlite:///{tmp}/bench.sqlite3"
                status |= _run(engine, url, args)
        elif engine == "postgres":
            try:
                import psycopg

                admin = psycopg.connect(PG_ADMIN, autocommit=True, connect_timeout=3)
            except Exception as exc:  # noqa: BLE001 - any reason it cannot be reached
                print(f"[postgres] skipped: {exc}".splitlines()[0])
                continue
            with admin:
                admin.execute(f"DROP DATABASE IF EXISTS {PG_DB}")
                admin.execute(f"CREATE DATABASE {PG_DB}")
                try:
                    status |= _run(engine, f"postgres://postgres@127.0.0.1:5432/{PG_DB}", args)
                finally:
                    admin.execute(f"DROP DATABASE IF EXISTS {PG_DB} WITH (FORCE)")
        else:
            print(f"unknown engine {engine}")
            status = 2
    return status


def _run(engine, url, args) -> int:
    command = [sys.executable, __file__, "--child", engine, "--url", url, "--per-unit", str(args.per_unit),
               "--repeat", str(args.repeat)]
    return subprocess.run(command, cwd=ROOT).returncode


if __name__ == "__main__":
    sys.exit(main())
