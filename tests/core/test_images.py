"""Images are checked before they are decoded, and their metadata is stripped."""

import io

import pytest
from django.utils import translation
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from cchc.core.images import ImageRefused, check_image, renditions


def _jpeg_with_gps(width=800, height=600) -> bytes:
    image = Image.new("RGB", (width, height), "blue")
    exif = Image.Exif()
    exif[0x010F] = "Camera maker"  # Make
    exif[0x0112] = 6  # Orientation: rotated 90°
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif.tobytes())
    return out.getvalue()


def test_an_image_is_turned_upright_and_loses_its_metadata():
    clean = check_image(SimpleUploadedFile("Ảnh hội nghị.jpg", _jpeg_with_gps()), max_side=400)
    image = Image.open(io.BytesIO(clean.read()))
    assert image.size == (300, 400)  # rotated by its orientation, then made smaller
    assert not image.getexif()
    assert clean.name == "anh-hoi-nghi.jpg"


def test_renditions_are_never_enlarged():
    found = renditions(SimpleUploadedFile("a.jpg", _jpeg_with_gps(1000, 500)), widths=(480, 1600))
    sizes = {w: Image.open(io.BytesIO(f.read())).size for w, f in found.items()}
    assert sizes[480][0] == 480 and sizes[1600][0] == 500  # 1000×500 upright → 500×1000


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def test_a_decompression_bomb_is_refused_from_its_header(settings):
    settings.CCHC_MAX_IMAGE_PIXELS = 10_000_000
    out = io.BytesIO()
    Image.new("1", (20000, 20000)).save(out, "PNG")  # 20,000 × 20,000: a few KB on disk
    data = out.getvalue()
    assert len(data) < 200_000
    with pytest.raises(ImageRefused, match="more than 10 million pixels"):
        check_image(SimpleUploadedFile("bom.png", data))
    out = io.BytesIO()
    Image.new("1", (5000, 4000)).save(out, "PNG")  # 20 million: under Pillow's own limit, over ours
    with pytest.raises(ImageRefused, match="5000 × 4000"):
        check_image(SimpleUploadedFile("lon.png", out.getvalue()))


def test_not_an_image_is_refused():
    with pytest.raises(ImageRefused):
        check_image(SimpleUploadedFile("a.png", b"\x89PNG\r\n\x1a\n" + b"x" * 100))
    with pytest.raises(Exception):
        check_image(SimpleUploadedFile("a.exe", b"MZ" + b"x" * 100))
