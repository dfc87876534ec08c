from typing import Any

from django import forms


def bootstrap(form: forms.BaseForm) -> Any:
    """Give every widget of a form Bootstrap's classes (used for model forms and filter forms alike)."""
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput):
            css = "form-check-input"
        elif isinstance(widget, forms.Select):
            css = "form-select"
        else:
            css = "form-control"
        widget.attrs.setdefault("class", css)
    return form
