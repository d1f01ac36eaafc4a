"""What the staff pages need to be read by everyone (WCAG 2.1 AA, the GOV.UK patterns of STYLE.md):
Chinese data marked as such on a page in another language, a formset cell with a label of its own,
and the error summary at the top of an invalid form, linking to each field in error."""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from typing import Any

from django import template
from django.forms import BaseForm, BoundField
from django.forms.formsets import BaseFormSet
from django.forms.widgets import ChoiceWidget, Select
from django.utils import translation
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

register = template.Library()

_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_CJK_PUNCTUATION = "\u3000-\u303f\uff00-\uffef\u2018-\u201f"
#: a Han character (the unified ideographs, their extensions and compatibility forms)
HAN = re.compile(f"[{_HAN}]")
#: a run of Chinese: from a Han character to the last Han character or CJK punctuation before a space
HAN_RUN = re.compile(f"[{_HAN}](?:[{_HAN}{_CJK_PUNCTUATION}0-9A-Za-z%.\\-]*[{_HAN}{_CJK_PUNCTUATION}])?")
#: the language of the data people enter: names, titles, comments are written in Chinese
DATA_LANGUAGE = "zh-Hans"


def page_in_chinese() -> bool:
    return (translation.get_language() or "").startswith("zh")


def _mark_runs(text: str) -> str:
    """Each run of Chinese in ``text`` (escaped already) wrapped in ``<span lang="zh-Hans">``."""
    return HAN_RUN.sub(lambda m: f'<span lang="{DATA_LANGUAGE}">{m.group(0)}</span>', text)


#: a tag (or a comment) of rendered HTML, the text between two of them being what a reader reads
_TAG = re.compile(r"(<[^>]*>)")


def mark_chinese_runs(html: str) -> str:
    """Rendered HTML with each run of Chinese in its text (never in a tag or an attribute) wrapped in
    ``<span lang="zh-Hans">``, for a page in another language whose values are Chinese."""
    parts = _TAG.split(html)
    for i in range(0, len(parts), 2):  # the text between the tags
        parts[i] = _mark_runs(parts[i])
    return "".join(parts)


@register.filter
def zh(value: Any) -> SafeString:
    """A value people entered, escaped; on a page in another language, if it holds Chinese, wrapped in
    ``<span lang="zh-Hans">`` so that a screen reader reads it as Chinese (WCAG 3.1.2)."""
    text = conditional_escape("" if value is None else value)
    if page_in_chinese() or not HAN.search(str(text)):
        return text
    return format_html('<span lang="{}">{}</span>', DATA_LANGUAGE, text)


@register.filter
def zh_lang(value: Any) -> str:
    """`` lang="zh-Hans"`` for the element holding ``value`` (a search box's words), if it is Chinese on a
    page in another language; nothing otherwise."""
    if page_in_chinese() or not HAN.search(str(value or "")):
        return ""
    return format_html(' lang="{}"', DATA_LANGUAGE)


@register.filter
def zh_runs(value: Any) -> SafeString:
    """A sentence of the page's language with Chinese values inside (a notification, an option naming
    an achievement and its kind), escaped; on a page in another language each run of Chinese in it is
    wrapped in ``<span lang="zh-Hans">``. For text (and ``<br>``), never for markup with attributes."""
    text = conditional_escape("" if value is None else value)
    if page_in_chinese():
        return text
    return mark_safe(_mark_runs(text))  # escaped above


@register.filter
def zh_widget(bound: BoundField) -> SafeString:
    """A field's widget that says where its Chinese is on a page in another language: ``lang`` on an input
    or text area holding Chinese, on each Chinese ``<option>`` (institutions, achievements, people), and
    round the Chinese in the label of each radio or tick box."""
    widget = bound.field.widget
    if page_in_chinese():
        return bound.as_widget()
    if not isinstance(widget, ChoiceWidget):
        value = bound.value()
        chinese = isinstance(value, str) and HAN.search(value) and not widget.is_hidden
        return bound.as_widget(attrs={"lang": DATA_LANGUAGE} if chinese else None)
    widget = copy.deepcopy(widget)
    original = type(widget).create_option

    def create_option(*args: Any, **kwargs: Any) -> dict[str, Any]:
        option = original(widget, *args, **kwargs)
        if HAN.search(str(option["label"])):
            if isinstance(widget, Select):
                option["attrs"] = {**option["attrs"], "lang": DATA_LANGUAGE}
            else:
                option["label"] = zh_runs(option["label"])
        return option

    widget.create_option = create_option  # type: ignore[method-assign]
    return bound.as_widget(widget=widget)


def _row_number(form: BaseForm) -> int | None:
    """The row (from 1) of a form in a formset, from its prefix ``<formset>-<index>``; None outside one."""
    index = (form.prefix or "").rpartition("-")[2]
    return int(index) + 1 if index.isdigit() else None


def row_suffix(form: BaseForm) -> str:
    """What tells a formset row from the others, as it follows a field's label (``（新成果完成人第 2 行）``);
    empty outside a formset. The form names its rows with ``row_label``."""
    row = _row_number(form)
    if row is None:
        return ""
    row_label = getattr(form, "row_label", None) or _("第 %(n)s 行")
    return _("（%(row)s）") % {"row": str(row_label) % {"n": row}}


def field_name(bound: BoundField) -> str:
    """The field's label; in a formset with its row (``份额（%）（新成果完成人第 2 行）``): each cell of a
    table of inputs needs a name of its own, and an error summary must say which row is wrong."""
    return f"{bound.label}{row_suffix(bound.form)}"


def field_target(bound: BoundField) -> str:
    """The id an error summary links to: the input, or the first option of a radio or checkbox group."""
    if bound.field.widget.use_fieldset:
        return f"{bound.auto_id}_0"
    return bound.id_for_label


@dataclass(frozen=True)
class SummaryItem:
    message: str
    target: str = ""


@register.inclusion_tag("transfers/_error_summary.html")
def error_summary(*forms: BaseForm | BaseFormSet | None) -> dict[str, Any]:
    """The error summary of a page's forms and formsets (GOV.UK): one line per problem, each field's
    linking to it; ``static/js/forms.js`` moves the focus to it when the page opens."""
    items: list[SummaryItem] = []
    for form in forms:
        if form is None or not form.is_bound:
            continue
        if isinstance(form, BaseFormSet):
            items += [SummaryItem(str(e), f"{form.prefix}-errors") for e in form.non_form_errors()]
            for member in form.forms:
                items += _form_items(member)
        else:
            items += _form_items(form)
    return {"items": items}


@register.simple_tag
def error_title(*forms: BaseForm | BaseFormSet | None) -> str:
    """``错误：`` before the page's title when its forms came back with errors (GOV.UK): the title is
    the first thing a screen reader says of a page."""
    for form in forms:
        if form is None or not form.is_bound:
            continue
        if form.total_error_count() if isinstance(form, BaseFormSet) else form.errors:
            return _("错误：")
    return ""


def _form_items(form: BaseForm) -> list[SummaryItem]:
    items = [SummaryItem(str(error)) for error in form.non_field_errors()]
    for bound in form:
        if bound.errors and not bound.is_hidden:
            name = field_name(bound)
            items += [
                SummaryItem(_("%(field)s：%(error)s") % {"field": name, "error": error}, field_target(bound))
                for error in bound.errors
            ]
    return items


@register.inclusion_tag("transfers/_cell.html")
def cell(bound: BoundField) -> dict[str, Any]:
    """One input of a formset row in a table: the widget with a label naming its column and row (read by
    a screen reader; the column shown above the input once the table is stacked on a phone), its errors."""
    return {
        "field": bound,
        "row": row_suffix(bound.form),
        "checkbox": getattr(bound.field.widget, "input_type", "") == "checkbox",
    }
