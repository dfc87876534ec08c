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


class ScopedModelForm(forms.ModelForm):
    """A model form whose relation choices only offer what the user may reach."""

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        self.user = user
        super().__init__(*args, **kwargs)
        bootstrap(self)

    def scope_choices(self, name: str, queryset: Any) -> None:
        """Offer only what the user may reach — plus the current value, so that saving an unrelated change never
        silently clears (or re-roots) a relation whose target lies outside the user's scope."""
        current = getattr(self.instance, f"{name}_id", None) if self.instance.pk else None
        if current is not None:
            queryset = queryset | queryset.model._default_manager.filter(pk=current)
        self.fields[name].queryset = queryset.distinct()  # type: ignore[attr-defined]
