"""The QR code printed on a receipt, as inline SVG (segno: pure Python, no image library, and its SVG
prints sharp at any size on the counter's printer)."""

from __future__ import annotations

import io

import segno


def svg(url: str, *, title: str = "QR") -> str:
    out = io.BytesIO()
    segno.make(url, error="m").save(out, kind="svg", scale=4, border=2, xmldecl=False, svgns=True,
                                     title=title, svgclass="receipt-qr", lineclass=None)
    return out.getvalue().decode("utf-8")
