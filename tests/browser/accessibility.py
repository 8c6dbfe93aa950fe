"""An automated accessibility check of a page with axe-core (bundled by axe-playwright-python: no
download at run time): the serious and critical violations found, each with its rule and where."""

from __future__ import annotations


def serious_violations(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    found = []
    for violation in results.response.get("violations", []):
        if violation.get("impact") in ("serious", "critical"):
            targets = [", ".join(node.get("target", [])) for node in violation.get("nodes", [])][:3]
            found.append(f"{violation['id']} ({violation['impact']}): {violation.get('help')} at {targets}")
    return found
