"""Staff pages of feedback (phản ánh, kiến nghị). Views read the request, ask `permissions`, call
`services` or `selectors`, render. An item the user may not see or act on answers like a missing one."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cchc.core import workdays
from cchc.core.idempotency import idempotent

from . import permissions, selectors, services
from .forms import ApproveForm, ClassifyForm, DraftForm, EntryForm, InboxFilterForm, ReturnForm, TransferForm
from .models import Status

PAGE_SIZE = 50


def _too_large(request) -> bool:
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return False
    return length > services.MAX_ATTACHMENTS * services.max_attachment_bytes() + 256 * 1024


@login_required
def inbox(request):
    if not permissions.menu_visible(request.user):
        raise Http404
    paths = permissions.inbox_paths(request.user)
    form = InboxFilterForm(request.GET or None, fields=selectors.inbox_fields(paths))
    f = form.cleaned_data if form.is_valid() else {}
    today = workdays.today()
    items = selectors.inbox(paths, status=f.get("status") or "", overdue=bool(f.get("overdue")),
                            channel=f.get("channel") or "", field=f.get("field") or "", q=f.get("q") or "", today=today)
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "feedback/inbox.html", {
        "form": form, "page": page, "query": query.urlencode(), "today": today,
        "counts": selectors.inbox_counts(paths, today=today),
        "can_enter": bool(permissions.entry_units(request.user)),
    })


@login_required
@idempotent
def enter(request):
    units = permissions.entry_units(request.user)
    if not units:
        raise Http404
    if request.method == "POST" and _too_large(request):
        form = EntryForm(units=units)
        form.add_error(None, _("The files are too large together. Send at most %(n)d files of %(mb).0f MB each.") % {
            "n": services.MAX_ATTACHMENTS, "mb": services.max_attachment_bytes() / 1048576})
        return render(request, "feedback/enter.html", {"form": form}, status=400)
    form = EntryForm(request.POST or None, request.FILES or None, units=units,
                     initial={"received_on": workdays.today(), "unit": units[0].pk})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            item = services.item_enter(
                user=request.user, unit=data["unit"], channel=data["channel"], received_on=data["received_on"],
                name=data["name"], phone=data["phone"], email=data["email"], address=data["address"],
                subject=data["subject"], content=data["content"], item_type=data["item_type"],
                consent_to_publish=data["consent_to_publish"], attachments=data["attachments"])
        except services.FeedbackError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("The feedback was entered with the code %(code)s.") % {"code": item.code})
            return redirect("feedback:item", item.pk)
    return render(request, "feedback/enter.html", {"form": form}, status=400 if form.errors else 200)


def _add_errors(form, exc: services.FeedbackError) -> None:
    placed = False
    for name, message in exc.fields.items():
        if name in form.fields:
            form.add_error(name, message)
            placed = True
    if not placed:
        form.add_error(None, exc.message)


def _item_page(request, item, *, status: int = 200, **bound):
    user = request.user
    personal = permissions.can_see_personal_data(user, item)
    if personal:
        services.personal_data_viewed(item=item, user=user)
    handle, approve = permissions.can_handle(user, item), permissions.can_approve(user, item)
    answer = getattr(item, "answer", None)
    forms = {}
    if handle and item.status in (Status.RECEIVED, Status.CLASSIFIED, Status.TRANSFERRED):
        forms["classify"] = bound.get("classify") or ClassifyForm(procedures=selectors.procedure_choices(item), initial={
            "in_scope": "yes" if item.in_scope is not False else "no", "scope_reason": item.scope_reason,
            "field": item.field, "procedure": item.procedure_id, "item_type": item.item_type_id})
        forms["transfer"] = bound.get("transfer") or TransferForm(units=selectors.transfer_targets(item))
    if handle and item.status in (Status.CLASSIFIED, Status.TRANSFERRED, Status.DRAFTED):
        forms["draft"] = bound.get("draft") or DraftForm(initial={"text": answer.text if answer else ""})
    if approve and item.status == Status.DRAFTED and answer is not None:
        forms["approve"] = bound.get("approve") or ApproveForm(initial={
            "text": answer.text, "public_title": item.public_title or item.subject,
            "public_question": item.public_question or item.content, "public_text": answer.public_text or answer.text})
        forms["return"] = ReturnForm()
    return render(request, "feedback/item.html", {
        "item": item, "answer": answer, "personal": personal, "forms": forms, "can_approve": approve,
        "can_handle": handle, "today": workdays.today(), "overdue": item.is_overdue(),
        "transfers": item.transfers.select_related("from_unit", "to_unit", "by"),
        "attachments": item.attachments.all() if personal else [],
        "history": selectors.item_history(item)[:50] if personal else [],
        "leaks": services.personal_data_in(item, item.public_title, item.public_question,
                                           answer.public_text if answer else "") if personal else [],
    }, status=status)


@login_required
def item_detail(request, pk):
    return _item_page(request, permissions.access_item(request.user, pk))


def _acting(request, pk, allowed):
    item = permissions.access_item(request.user, pk)
    if not allowed(request.user, item):
        raise Http404
    return item


def _done(request, item, text):
    messages.success(request, text)
    return redirect("feedback:item", item.pk)


def _refused(request, item, name, form, exc):
    _add_errors(form, exc)
    return _item_page(request, item, status=400, **{name: form})


@login_required
@require_POST
@idempotent
def classify(request, pk):
    item = _acting(request, pk, permissions.can_handle)
    form = ClassifyForm(request.POST, procedures=selectors.procedure_choices(item))
    if not form.is_valid():
        return _item_page(request, item, status=400, classify=form)
    data = form.cleaned_data
    try:
        item = services.item_classify(item=item, user=request.user, in_scope=data["in_scope"],
                                      reason=data["scope_reason"], field=data["field"], procedure=data["procedure"],
                                      item_type=data["item_type"])
    except services.FeedbackError as exc:
        return _refused(request, item, "classify", form, exc)
    if item.status == Status.OUT_OF_SCOPE:
        return _done(request, item, _("The feedback was closed as out of scope."))
    return _done(request, item, _("The classification was saved."))


@login_required
@require_POST
@idempotent
def transfer(request, pk):
    item = _acting(request, pk, permissions.can_handle)
    form = TransferForm(request.POST, units=selectors.transfer_targets(item))
    if not form.is_valid():
        return _item_page(request, item, status=400, transfer=form)
    try:
        moved = services.item_transfer(item=item, user=request.user, to_unit=form.cleaned_data["to_unit"],
                                       reason=form.cleaned_data["reason"])
    except services.FeedbackError as exc:
        return _refused(request, item, "transfer", form, exc)
    # the unit that transferred it keeps seeing it (it passed through), without acting on it any more
    return _done(request, item, _("The feedback was transferred to %(unit)s.") % {"unit": moved.to_unit.name})


@login_required
@require_POST
@idempotent
def draft(request, pk):
    item = _acting(request, pk, permissions.can_handle)
    form = DraftForm(request.POST)
    if not form.is_valid():
        return _item_page(request, item, status=400, draft=form)
    try:
        services.answer_draft(item=item, user=request.user, text=form.cleaned_data["text"])
    except services.FeedbackError as exc:
        return _refused(request, item, "draft", form, exc)
    return _done(request, item, _("The answer was saved and waits for the manager's approval."))


@login_required
@require_POST
@idempotent
def approve(request, pk):
    """Approve the answer and its public text, and send it to the sender."""
    item = _acting(request, pk, permissions.can_approve)
    form = ApproveForm(request.POST)
    if not form.is_valid():
        return _item_page(request, item, status=400, approve=form)
    data = form.cleaned_data
    try:
        services.answer_approve(item=item, user=request.user, text=data["text"], public_title=data["public_title"],
                                public_question=data["public_question"], public_text=data["public_text"])
        item = services.answer_send(item=item, user=request.user)
    except services.FeedbackError as exc:
        return _refused(request, item, "approve", form, exc)
    if item.email:
        return _done(request, item, _("The answer was approved and sent to the sender by e-mail."))
    return _done(request, item, _("The answer was approved and recorded as sent (the sender gave no e-mail: "
                                  "send it by post or phone)."))


@login_required
@require_POST
@idempotent
def return_draft(request, pk):
    item = _acting(request, pk, permissions.can_approve)
    form = ReturnForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        services.answer_return(item=item, user=request.user, note=note)
    except services.FeedbackError as exc:
        messages.error(request, exc.message)
        return redirect("feedback:item", item.pk)
    return _done(request, item, _("The answer was returned to be rewritten."))


@login_required
@require_POST
@idempotent
def publish(request, pk):
    item = _acting(request, pk, permissions.can_approve)
    try:
        services.item_publish(item=item, user=request.user)
    except services.FeedbackError as exc:
        messages.error(request, exc.message)
        return redirect("feedback:item", item.pk)
    return _done(request, item, _("The question and answer were published on the public site."))


@login_required
@require_POST
@idempotent
def unpublish(request, pk):
    item = _acting(request, pk, permissions.can_approve)
    try:
        services.item_unpublish(item=item, user=request.user)
    except services.FeedbackError as exc:
        messages.error(request, exc.message)
        return redirect("feedback:item", item.pk)
    return _done(request, item, _("The answer was withdrawn from the public site."))


@login_required
def attachment(request, pk, attachment_id):
    item = _acting(request, pk, permissions.can_see_personal_data)
    found = item.attachments.filter(pk=attachment_id).first()
    if found is None or not found.file:
        raise Http404
    services.personal_data_viewed(item=item, user=request.user, what=f"attachment {found.pk}")
    try:
        handle = found.file.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404
    response = FileResponse(handle, as_attachment=True, filename=found.original_name)
    response["X-Content-Type-Options"] = "nosniff"
    return response
