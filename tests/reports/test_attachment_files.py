"""A report's attachments go from disk with the report, once its deletion commits."""

from __future__ import annotations

from tests.core.test_files import pdf, stored


def test_a_deleted_report_takes_its_attachments(world, q1, settings, tmp_path, django_capture_on_commit_callbacks):
    settings.MEDIA_ROOT = tmp_path / "media"
    from cchc.reports import services

    t = world.tree
    with django_capture_on_commit_callbacks(execute=True):
        report = services.report_open(unit=t.commune_a, period=q1, user=t.officer_a)
        services.report_attach(report=report, user=t.officer_a, file=pdf())
    assert len(stored(settings.MEDIA_ROOT)) == 1
    with django_capture_on_commit_callbacks(execute=True):
        report.delete()
    assert stored(settings.MEDIA_ROOT) == []
