"""The audit log: every service that changes data writes one AuditEvent in its transaction.

    before = audit.snapshot(plan)
    ... change plan ...
    audit.record(actor=user, action="update", obj=plan, before=before)
"""

from __future__ import annotations

import contextvars
import datetime as dt
import decimal
import uuid
from typing import Any

from django.db import models
from django.db.models.fields.files import FieldFile

from .models import AuditEvent

_request_context: contextvars.ContextVar[dict] = contextvars.ContextVar("cchc_audit_request", default={})


def set_request_context(*, user=None, ip_address: str | None = None) -> contextvars.Token:
    return _request_context.set({"user": user, "ip_address": ip_address})


def reset_request_context(token: contextvars.Token) -> None:
    _request_context.reset(token)


def _jsonable(value: Any) -> Any:
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, (decimal.Decimal, uuid.UUID)):
        return str(value)
    if isinstance(value, (list, tuple, set)):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, FieldFile):
        return value.name or None
    return str(value)


def snapshot(obj: models.Model, *, exclude: tuple[str, ...] = ("created_at", "updated_at")) -> dict:
    """The concrete field values of `obj`, JSON-serialisable (foreign keys as ids)."""
    data = {}
    for field in obj._meta.concrete_fields:
        if field.name in exclude or field.name == "password":
            continue
        data[field.attname] = _jsonable(getattr(obj, field.attname))
    return data


def record(
    *,
    action: str,
    obj: models.Model | None = None,
    actor=None,
    before: dict | None = None,
    after: dict | None = None,
    unit_id: int | None = None,
    object_type: str | None = None,
    object_id: str | None = None,
    object_repr: str | None = None,
    message: str = "",
) -> AuditEvent:
    """Write one audit event. `after` defaults to a snapshot of `obj` unless the action is a delete."""
    context = _request_context.get()
    if actor is None:
        actor = context.get("user")
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    if obj is not None:
        if after is None and action != AuditEvent.Action.DELETE:
            after = snapshot(obj)
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk or "")
        object_repr = object_repr or str(obj)[:300]
        if unit_id is None:
            unit_id = getattr(obj, "audit_unit_id", None)
    return AuditEvent.objects.create(
        actor=actor,
        actor_name=(actor.get_username() if actor is not None else "")[:150],
        ip_address=context.get("ip_address"),
        action=action,
        object_type=object_type or "",
        object_id=object_id or "",
        object_repr=(object_repr or "")[:300],
        unit_id=unit_id,
        before=_jsonable(before) if before is not None else None,
        after=_jsonable(after) if after is not None else None,
        message=message[:500],
    )


def history(obj: models.Model):
    return AuditEvent.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk))
