"""How fast plans are read: documents per second and milliseconds per 10 KB.

Over every shared document (seeds and corpus beside the checkout), in one process and through
the `cchc parse` command (start-up included), plus a synthetic 40 KB plan (goal: at least 50 per
second in one process; the command, start-up included, under 300 ms).

    .venv/bin/python benchmarks/parse_bench.py
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def shared_documents() -> list[Path]:
    """The real plans committed with the tests (the seeds and the corpus plans)."""
    from tests.public_documents import plan_documents

    return plan_documents()


def synthetic_plan(size: int = 40 * 1024, *, task_share: float = 0.5) -> str:
    """A plan of about `size` bytes: header, contents in prose, duties by agency, an appendix table.

    `task_share` is the part of the text that assigns tasks; in the shared plans it is about half
    (seed 004: 38 KB, about 50 tasks).
    """
    head = (
        "ỦY BAN NHÂN DÂN\nTỈNH THÁI BÌNH\n\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n\n"
        "Số: 174/KH-UBND\n\nThái Bình, ngày 29 tháng 12 năm 2023\n\nKẾ HOẠCH\n\n"
        "Tuyên truyền cải cách hành chính năm 2024\n\n"
        "Thực hiện Kế hoạch số 35/KH-UBND ngày 05/02/2023 của Ủy ban nhân dân tỉnh về cải cách hành chính;\n\n"
        "I. MỤC ĐÍCH, YÊU CẦU\n\n1. Mục đích\n\nNâng cao nhận thức của cán bộ, công chức, viên chức và Nhân dân.\n\n"
        "2. Nội dung tuyên truyền\n\n"
    )
    agencies = ["Sở Nội vụ", "Sở Tài chính", "Sở Thông tin và Truyền thông", "Đài Phát thanh và Truyền hình tỉnh"]
    parts = [head]
    while sum(len(p.encode()) for p in parts) < size * (1 - task_share):
        parts.append(
            "- Tình hình, kết quả triển khai thực hiện cơ chế một cửa, một cửa liên thông trong giải quyết thủ "
            "tục hành chính; công khai, minh bạch các thủ tục hành chính tại cơ quan, đơn vị, địa phương.\n\n"
        )
    parts.append("II. TỔ CHỨC THỰC HIỆN\n\n")
    k = 0
    while sum(len(p.encode()) for p in parts) < size * (1 - task_share / 2):
        k += 1
        parts.append(f"{k}. {agencies[k % 4]}\n\n")
        for letter in "abcd":
            parts.append(
                f"{letter}) Chủ trì, phối hợp với các sở, ban, ngành tổ chức tuyên truyền cải cách hành chính "
                f"trên Cổng thông tin điện tử của tỉnh, hằng quý có ít nhất 04 tin, bài; thời gian: Quý {k % 4 + 1}/2024.\n\n"
            )
    parts.append("III. CHẾ ĐỘ BÁO CÁO\n\nCác cơ quan báo cáo kết quả lồng ghép vào báo cáo CCHC, gửi về Sở Nội vụ "
                 "trước ngày 10 tháng 6 đối với báo cáo 6 tháng và trước ngày 10 tháng 12 đối với báo cáo năm.\n\n")
    parts.append("PHỤ LỤC\n\nTT\tNội dung\tCơ quan chủ trì\tCơ quan phối hợp\tThời gian\n")
    row = 0
    while sum(len(p.encode()) for p in parts) < size - 300:
        row += 1
        parts.append(
            f"{row}\tTập huấn nghiệp vụ cải cách hành chính cho công chức (01 lớp, 40 người)\t{agencies[row % 4]}\t"
            f"UBND các huyện, thành phố\tQuý II, Quý III/2024\n"
        )
    parts.append("\nNơi nhận:\n- Bộ Nội vụ;\n- Lưu: VT.\n\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\n\nNguyễn Văn A\n")
    return "".join(parts)


def in_process(paths: list[Path], rounds: int) -> tuple[float, int]:
    from cchc.documents.reader import parse_file

    for path in paths:  # warm up imports and caches
        parse_file(path)
    start = time.perf_counter()
    for _ in range(rounds):
        for path in paths:
            parse_file(path)
    return time.perf_counter() - start, rounds * len(paths)


def through_command(paths: list[Path], rounds: int) -> tuple[float, int]:
    command = ROOT / ".venv" / "bin" / "cchc"
    argv = [str(command)] if command.exists() else [sys.executable, "-m", "cchc"]
    start = time.perf_counter()
    for _ in range(rounds):
        for path in paths:
            subprocess.run([*argv, "parse", str(path)], check=True, capture_output=True)
    return time.perf_counter() - start, rounds * len(paths)


def report(label: str, seconds: float, count: int, total_bytes: int) -> None:
    per_doc = seconds / count
    ms_per_10kb = seconds * 1000 / (total_bytes / 10240)
    print(f"{label:<44} {count / seconds:8.1f} docs/s  {per_doc * 1000:8.1f} ms/doc  {ms_per_10kb:7.2f} ms/10 KB")


def main() -> int:
    docs = shared_documents()
    print(f"Python {sys.version.split()[0]}; shared documents: {len(docs)}")
    size = sum(p.stat().st_size for p in docs)
    seconds, count = in_process(docs, rounds=10)
    report("shared documents, one process", seconds, count, size * 10)
    seconds, count = through_command(docs, rounds=2)
    report("shared documents, `cchc parse` (start-up incl.)", seconds, count, size * 2)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "plan40k.txt"
        path.write_text(synthetic_plan(), encoding="utf-8")
        size = path.stat().st_size
        seconds, count = in_process([path], rounds=100)
        report(f"synthetic {size / 1024:.0f} KB plan, one process", seconds, count, size * 100)
        rate = count / seconds
        print(f"  goal >= 50 plans/s in one process: {'met' if rate >= 50 else 'NOT met'} ({rate:.1f}/s)")
        dense = Path(tmp) / "plan40k-dense.txt"
        dense.write_text(synthetic_plan(task_share=1.0), encoding="utf-8")
        seconds, count = in_process([dense], rounds=30)
        report("synthetic 40 KB plan, all tasks, one process", seconds, count, dense.stat().st_size * 30)
        seconds, count = through_command([path], rounds=5)
        report(f"synthetic {size / 1024:.0f} KB plan, `cchc parse`", seconds, count, size * 5)
        ms = seconds * 1000 / count
        print(f"  goal < 300 ms per command run: {'met' if ms < 300 else 'NOT met'} ({ms:.0f} ms)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
