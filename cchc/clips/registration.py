"""What clips adds to the platform through the registry."""

from __future__ import annotations


def register():
    pass
