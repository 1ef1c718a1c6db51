from django.forms.renderers import TemplatesSetting


class FormRenderer(TemplatesSetting):
    """Fields render label, input, errors, then help: inputs line up across a form row."""

    field_template_name = "forms/field.html"
