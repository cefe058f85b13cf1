"""Form helpers shared by every app."""

from django import forms
from django.core.exceptions import ValidationError


def apply_validation_error(
    form: forms.Form, error: ValidationError, default_field: str | None = None
) -> None:
    """Put a service's ValidationError onto a bound form, field by field where it names fields."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(default_field if default_field in form.fields else None, error.messages)
