import json, sys, glob
from docx import Document
from docx.shared import Pt, Mm
from docx.enum.section import WD_ORIENT
STATUS_HEAD = {"new": "DANH MỤC THỦ TỤC HÀNH CHÍNH MỚI BAN HÀNH", "amended": "DANH MỤC THỦ TỤC HÀNH CHÍNH ĐƯỢC SỬA ĐỔI, BỔ SUNG",
               "abolished": "DANH MỤC THỦ TỤC HÀNH CHÍNH BỊ BÃI BỎ", "unchanged": "DANH MỤC THỦ TỤC HÀNH CHÍNH KHÔNG PHỤ THUỘC ĐỊA GIỚI HÀNH CHÍNH", "replaced": "DANH MỤC THỦ TỤC HÀNH CHÍNH ĐƯỢC THAY THẾ"}
for gf in sys.argv[1:]:
    g = json.load(open(gf))
    d = Document()
    sec = d.sections[0]
    sec.orientation = WD_ORIENT.LANDSCAPE; sec.page_width, sec.page_height = Mm(297), Mm(210)
    t = d.add_table(rows=1, cols=2)
    t.cell(0,0).text = "ỦY BAN NHÂN DÂN\nTỈNH KIỂM THỬ"
    t.cell(0,1).text = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc"
    dd = g["decision"]
    y, m, day = dd["date"].split("-")
    d.add_paragraph(f"Số: {dd['number']}\t\tKiểm Thử, ngày {day} tháng {m} năm {y}")
    p = d.add_paragraph(); r = p.add_run("QUYẾT ĐỊNH"); r.bold = True
    p = d.add_paragraph(); r = p.add_run("Về việc công bố danh mục thủ tục hành chính"); r.bold = True
    d.add_paragraph((dd.get("issuer") or "").upper())
    d.add_paragraph("Căn cứ Nghị định số 63/2010/NĐ-CP ngày 08 tháng 6 năm 2010 của Chính phủ về kiểm soát thủ tục hành chính;")
    p = d.add_paragraph(); r = p.add_run("QUYẾT ĐỊNH:"); r.bold = True
    d.add_paragraph("Điều 1. Công bố kèm theo Quyết định này danh mục thủ tục hành chính.")
    d.add_paragraph("Điều 2. Quyết định này có hiệu lực thi hành kể từ ngày ký.")
    d.add_paragraph("KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\nNguyễn Văn A")
    d.add_page_break()
    d.add_paragraph("PHỤ LỤC")
    d.add_paragraph(f"(Kèm theo Quyết định số {dd['number']})")
    groups = []
    for pr in g["procedures"]:
        if not groups or groups[-1][0] != pr["status"]:
            groups.append((pr["status"], []))
        groups[-1][1].append(pr)
    for k, (status, rows) in enumerate(groups):
        p = d.add_paragraph(); r = p.add_run("ABCDE"[k] + ". " + STATUS_HEAD[status]); r.bold = True
        tb = d.add_table(rows=1, cols=6); tb.style = "Table Grid"
        for i, h in enumerate(["STT", "Mã TTHC", "Tên thủ tục hành chính", "Thời hạn giải quyết", "Phí, lệ phí", "Căn cứ pháp lý"]):
            tb.cell(0, i).text = h
        field = None
        n = 0
        for pr in rows:
            if pr.get("field") and pr["field"] != field:
                field = pr["field"]
                c = tb.add_row().cells
                merged = c[0].merge(c[5]); merged.text = f"Lĩnh vực {field}"
            n += 1
            c = tb.add_row().cells
            c[0].text = str(n); c[1].text = pr.get("code") or ""
            c[2].text = pr["name"]
            c[3].text = f"{pr['time_limit_days']} ngày làm việc kể từ ngày nhận đủ hồ sơ hợp lệ" if pr.get("time_limit_days") else "Theo quy định"
            c[4].text = "Không" if pr.get("fee_free") else ("50.000 đồng/hồ sơ" if pr.get("fee_free") is False else "")
            c[5].text = "Nghị định số 63/2010/NĐ-CP"
    out = gf.split("/")[-1].replace(".json", ".docx")
    d.save(out)
    print(out)
