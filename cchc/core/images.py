"""Images that users send (a site's emblem, an article's cover): checked for type, bytes and pixels
before anything decodes them, then decoded once, turned upright, stripped of their metadata (EXIF:
GPS position, camera, author) and resized into renditions."""

from __future__ import annotations

import io
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from .uploads import UploadRefused, check_upload

IMAGE_TYPES = {".jpg", ".jpeg", ".png", ".webp", ".gif"}
_FORMATS = {"JPEG": ".jpg", "PNG": ".png", "WEBP": ".webp", "GIF": ".png", "MPO": ".jpg"}


class ImageRefused(UploadRefused):
    pass


def _limits() -> tuple[int, int]:
    return (getattr(settings, "CCHC_MAX_IMAGE_BYTES", 10 * 1024 * 1024),
            getattr(settings, "CCHC_MAX_IMAGE_PIXELS", 40_000_000))


def open_checked(upload) -> Image.Image:
    """The image, opened but not decoded, after its type, its size in bytes and its size in pixels
    (read from the header) are checked."""
    name = getattr(upload, "name", "") or ""
    check_upload(upload, allowed=IMAGE_TYPES)
    max_bytes, max_pixels = _limits()
    if (upload.size or 0) > max_bytes:
        raise ImageRefused(_("“%(name)s” is %(size).1f MB; an image may have at most %(limit).0f MB.")
                           % {"name": name, "size": upload.size / 1048576, "limit": max_bytes / 1048576})
    upload.seek(0)
    too_many = _("“%(name)s” has more than %(mp)d million pixels. Make it smaller and retry.")
    try:
        image = Image.open(upload)  # reads the header only
        width, height = image.size
    except Image.DecompressionBombError:
        raise ImageRefused(too_many % {"name": name, "mp": max_pixels // 1_000_000}) from None
    except (UnidentifiedImageError, OSError, ValueError):
        raise ImageRefused(_("“%(name)s” is not an image that can be read. Save it as JPEG or PNG and retry.")
                           % {"name": name}) from None
    if width * height > max_pixels:
        raise ImageRefused(_("“%(name)s” is %(w)d × %(h)d pixels; an image may have at most %(mp)d million "
                             "pixels. Make it smaller and retry.")
                           % {"name": name, "w": width, "h": height, "mp": max_pixels // 1_000_000})
    return image


def _decode(upload, image: Image.Image) -> Image.Image:
    name = getattr(upload, "name", "") or ""
    try:
        image.load()
        image = ImageOps.exif_transpose(image)
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        raise ImageRefused(_("“%(name)s” is damaged and cannot be read. Save it again and retry.") % {"name": name}) from None
    if image.mode not in ("RGB", "RGBA", "L", "LA"):
        image = image.convert("RGBA" if "A" in image.getbands() or image.mode == "P" else "RGB")
    return image


def _encode(image: Image.Image, fmt: str, stem: str, suffix: str = "") -> ContentFile:
    out = io.BytesIO()
    if fmt == "JPEG":
        image.convert("RGB").save(out, "JPEG", quality=85, optimize=True, progressive=True)
    elif fmt == "WEBP":
        image.save(out, "WEBP", quality=82)
    else:
        image.save(out, "PNG", optimize=True)
    return ContentFile(out.getvalue(), name=f"{stem}{suffix}{_FORMATS.get(fmt, '.png')}")


def _stem(upload) -> str:
    from .text import fold

    stem = Path(getattr(upload, "name", "") or "image").stem
    return "".join(c if c.isalnum() else "-" for c in fold(stem))[:60].strip("-") or "image"


def check_image(upload, *, max_side: int = 2000) -> ContentFile:
    """The upload as a clean image file: checked, upright, without metadata, at most `max_side`
    pixels on its longer side. ImageRefused (a message for the user) otherwise."""
    image = open_checked(upload)
    fmt = "JPEG" if image.format in ("JPEG", "MPO") else ("WEBP" if image.format == "WEBP" else "PNG")
    image = _decode(upload, image)
    image.thumbnail((max_side, max_side))
    return _encode(image, fmt, _stem(upload))


def renditions(upload, widths=(480, 960, 1600)) -> dict[int, ContentFile]:
    """Resized copies of an image for each width (never enlarged), metadata stripped."""
    image = open_checked(upload)
    fmt = "JPEG" if image.format in ("JPEG", "MPO") else ("WEBP" if image.format == "WEBP" else "PNG")
    image = _decode(upload, image)
    stem, out = _stem(upload), {}
    for width in widths:
        copy = image.copy()
        if copy.width > width:
            copy.thumbnail((width, width * 10))
        out[width] = _encode(copy, fmt, stem, f"-{width}")
    return out
