"""Forms a commune officer fills in on a phone: dates typed dd/mm/yyyy, the task chosen from the unit's own."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from cchc.core import bounds
from cchc.plans.models import Target, Task
from cchc.plans.targets import languages_label

from . import selectors
from .catalogue import (DEFAULT_LANGUAGE, LANGUAGE_CHOICES, MISSING_TITLE, target_language_codes,
                        whole_quantity_problem)
from .models import OutputType

DATE_FORMATS = ["%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d"]
DATE_WIDGET = forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric",
                                                        "autocomplete": "off"})


class SelectWithData(forms.Select):
    """A select whose options carry data attributes (the output type suggested for a target)."""

    def __init__(self, *args, option_data: dict[str, dict] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.option_data = option_data or {}

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        option["attrs"].update(self.option_data.get(str(value), {}))
        return option


class TypeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: OutputType):
        return f"{obj.label} ({obj.measure})"


SHORT_TASK = 60


def short_task(task: Task) -> str:
    """'12. Tổ chức lớp tập huấn nghiệp vụ …': the task's number and its title cut to about 60
    characters, so that a chosen option says which task it serves once the list is closed."""
    title = " ".join(task.title.split())
    if len(title) > SHORT_TASK:
        title = title[:SHORT_TASK].rsplit(" ", 1)[0].rstrip(" ,;:.–-") + " …"
    return f"{task.order}. {title}" if task.order else title


def serves_choices(tasks: list[Task]) -> tuple[list, dict[str, dict]]:
    """Choices 't:<task id>' / 'g:<target id>' grouped by task, and the suggested type of each. Each
    option names its task ("12. Tổ chức tập huấn … — 02 lớp"): the group's heading is not shown once
    the option is chosen."""
    choices: list = [("", _("— not linked to a task —"))]
    data: dict[str, dict] = {}
    for task in tasks:
        title = " ".join(task.title.split())
        short = short_task(task)
        group = [(f"t:{task.pk}", _("%(task)s — the task as a whole") % {"task": short})]
        suggested = selectors.suggest_type(task=task)
        if suggested:
            data[f"t:{task.pk}"] = {"data-suggest": suggested}
        for target in task.targets.all():
            group.append((f"g:{target.pk}", f"{short} — {target.label}"))
            code = selectors.suggest_type(target=target, task=task)
            if code:
                data[f"g:{target.pk}"] = {"data-suggest": code}
        plan = task.plan.number or task.plan.title[:40]
        choices.append((f"{title[:110]} ({plan})", group))
    return choices, data


class OutputRecordForm(forms.Form):
    serves = forms.ChoiceField(label=_("Serves the task or target"), required=False)
    output_type = TypeChoiceField(label=_("Output type"), queryset=OutputType.objects.none(), empty_label=None)
    date = forms.DateField(label=_("Date"), widget=DATE_WIDGET, input_formats=DATE_FORMATS,
                           help_text=_("The day it was published or held, dd/mm/yyyy."))
    title = forms.CharField(label=_("Title or content"), max_length=500, error_messages={"required": MISSING_TITLE})
    quantity = bounds.OUTPUT_QUANTITY.form_field(required=True, initial=1)
    channel = forms.CharField(label=_("Channel or place"), max_length=200, required=False,
                              help_text=_("For example: Cổng TTĐT tỉnh, Đài PT-TH tỉnh, hội trường UBND xã."))
    language = forms.ChoiceField(label=_("Language"), choices=LANGUAGE_CHOICES, initial=DEFAULT_LANGUAGE)
    people_reached = bounds.PEOPLE.form_field(help_text=_("Participants of a class, conference or contest."))
    cost = bounds.COST.form_field()
    link = forms.URLField(label=_("Link"), max_length=1000, required=False, assume_scheme="https")
    evidence = forms.FileField(label=_("Evidence file"), required=False,
                               help_text=_("PDF, image, .docx or .xlsx."),
                               widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,.gif,.webp,.docx,.xlsx"}))

    def __init__(self, *args, tasks: list[Task], **kwargs):
        super().__init__(*args, **kwargs)
        self.tasks = tasks
        choices, data = serves_choices(tasks)
        self.fields["serves"].choices = choices
        self.fields["serves"].widget = SelectWithData(choices=choices, option_data=data)
        types = list(selectors.active_output_types())
        self.fields["output_type"].queryset = selectors.active_output_types()
        self.fields["output_type"].widget = SelectWithData(option_data={
            str(t.pk): {"data-code": t.code, "data-whole": "1" if t.whole_quantity else "0"} for t in types})
        self.fields["output_type"].widget.choices = self.fields["output_type"].choices
        # a type counted in whole things (lớp, bài) takes whole quantities; the page's script follows
        # the type chosen later
        chosen = self._chosen_type(types)
        if chosen is not None and chosen.whole_quantity:
            self.fields["quantity"].widget.attrs.update({"step": "1", "inputmode": "numeric"})

    def _chosen_type(self, types: list[OutputType]) -> OutputType | None:
        raw = self["output_type"].value()
        raw = getattr(raw, "pk", raw)
        by_pk = {str(t.pk): t for t in types}
        if raw not in (None, ""):
            return by_pk.get(str(raw))
        return types[0] if types and not self.is_bound else None

    def clean_serves(self) -> tuple[Task | None, Target | None]:
        value = self.cleaned_data.get("serves") or ""
        by_task = {t.pk: t for t in self.tasks}
        by_target = {g.pk: (g, t) for t in self.tasks for g in t.targets.all()}
        kind, _sep, raw = value.partition(":")
        if not value:
            return None, None
        if kind == "t" and raw.isdigit() and int(raw) in by_task:
            return by_task[int(raw)], None
        if kind == "g" and raw.isdigit() and int(raw) in by_target:
            target, task = by_target[int(raw)]
            return task, target
        raise forms.ValidationError(_("Choose one of the unit's tasks or targets."))

    def clean(self):
        data = super().clean()
        if data.get("output_type") is not None and data.get("quantity") is not None:
            if (message := whole_quantity_problem(data["output_type"].measure, data["quantity"])) is not None:
                self.add_error("quantity", message)
        _task, target = data.get("serves") or (None, None)
        codes = target_language_codes(target.languages) if target is not None else None
        if codes is not None and data.get("language") and data["language"] not in codes:
            # an output in another language would be recorded and never counted toward this target
            self.add_error("language", _("This target counts only outputs in %(languages)s: choose the language "
                                         "the output was in, or another target.")
                           % {"languages": languages_label(target.languages)})
        return data

    def service_fields(self) -> dict:
        d = dict(self.cleaned_data)
        task, target = d.pop("serves")
        d.pop("evidence", None)
        d["task"], d["target"] = task, target
        return d

    @staticmethod
    def initial_from(record) -> dict:
        serves = f"g:{record.target_id}" if record.target_id else (f"t:{record.task_id}" if record.task_id else "")
        return {"serves": serves, "output_type": record.output_type_id, "date": record.date, "title": record.title,
                "quantity": record.quantity, "channel": record.channel, "language": record.language,
                "people_reached": record.people_reached, "cost": record.cost, "link": record.link}


class FilterForm(forms.Form):
    start = forms.DateField(label=_("From"), required=False, widget=DATE_WIDGET, input_formats=DATE_FORMATS)
    end = forms.DateField(label=_("To"), required=False, widget=DATE_WIDGET, input_formats=DATE_FORMATS)
    output_type = TypeChoiceField(label=_("Output type"), queryset=OutputType.objects.none(), required=False,
                                  empty_label=_("all types"))
    task = forms.TypedChoiceField(label=_("Task"), coerce=int, required=False, empty_value=None)
    q = forms.CharField(label=_("Search"), required=False)

    def __init__(self, *args, tasks: list[Task], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["output_type"].queryset = selectors.active_output_types()
        self.fields["task"].choices = [("", _("all tasks"))] + [(t.pk, " ".join(t.title.split())[:100]) for t in tasks]

    def clean(self):
        d = super().clean()
        if d.get("start") and d.get("end") and d["start"] > d["end"]:
            raise forms.ValidationError(_("The start of the period is after its end."))
        return d


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Filled-in template (.xlsx)"),
                           widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}))
