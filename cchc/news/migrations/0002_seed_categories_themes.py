"""The categories and content themes of the CCHC section, as data (editors may add more)."""

from django.db import migrations

CATEGORIES = [
    ("tin-hoat-dong", "Tin hoạt động", 10),
    ("van-ban-chi-dao", "Văn bản chỉ đạo, điều hành", 20),
    ("hoi-dap", "Hỏi – đáp", 30),
    ("guong-dien-hinh", "Gương điển hình, cách làm hay", 40),
    ("thong-bao", "Thông báo", 50),
    ("nghien-cuu-trao-doi", "Nghiên cứu – trao đổi", 60),
]

THEMES = [
    ("chuong-trinh-tong-the", "Chương trình tổng thể cải cách hành chính", 10),
    ("tthc-mot-cua", "Thủ tục hành chính và cơ chế một cửa, một cửa liên thông", 20),
    ("dich-vu-cong-truc-tuyen", "Dịch vụ công trực tuyến", 30),
    ("cong-chuc-cong-vu", "Công chức – công vụ", 40),
    ("chinh-quyen-so", "Chính quyền điện tử, chính quyền số", 50),
    ("chi-so", "Các chỉ số PAR INDEX, SIPAS, PAPI, PCI", 60),
    ("the-che", "Cải cách thể chế", 70),
    ("to-chuc-bo-may", "Cải cách tổ chức bộ máy", 80),
    ("tai-chinh-cong", "Cải cách tài chính công", 90),
]


def seed(apps, schema_editor):
    Category = apps.get_model("news", "Category")
    Theme = apps.get_model("news", "Theme")
    for slug, name, order in CATEGORIES:
        Category.objects.update_or_create(slug=slug, defaults={"name": name, "order": order})
    for slug, name, order in THEMES:
        Theme.objects.update_or_create(slug=slug, defaults={"name": name, "order": order})


class Migration(migrations.Migration):
    dependencies = [("news", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
