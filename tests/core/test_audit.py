import pytest

from cchc.core import audit
from tests.factories import UserFactory


@pytest.mark.django_db
def test_record_keeps_before_and_after_and_lists_changes():
    user = UserFactory(full_name="Nguyễn Văn A")
    before = audit.snapshot(user)
    user.full_name = "Nguyễn Văn B"
    user.save()
    event = audit.record(actor=user, action="update", obj=user, before=before)
    assert event.actor_name == user.username
    assert ("full_name", "Nguyễn Văn A", "Nguyễn Văn B") in event.changes()
    assert "password" not in event.after
    assert list(audit.history(user)) == [event]


@pytest.mark.django_db
def test_snapshot_of_an_empty_file_field_is_null():
    from django.db import models
    from django.db.models.fields.files import FieldFile

    assert audit._jsonable(FieldFile(None, models.FileField(), "")) is None
    assert audit._jsonable(FieldFile(None, models.FileField(), "bang-chung/a.pdf")) == "bang-chung/a.pdf"
