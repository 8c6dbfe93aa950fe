"""What the procedure catalogue adds to the public sites through the registry (menu, home block,
sitemap)."""

from __future__ import annotations


def register():
    pass
