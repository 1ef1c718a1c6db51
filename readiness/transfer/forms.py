from django import forms

from readiness.transfer.parsing import MAX_BYTES


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label="Spreadsheet",
        help_text=f"CSV (comma or semicolon; UTF-8 or Windows-1252) or XLSX, up to "
        f"{MAX_BYTES // 1024 // 1024} MB and 20,000 rows. Columns are matched by their "
        "headers, as an export writes them.",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )
    create_missing = forms.BooleanField(
        label="Create owners and systems the file names that do not exist yet",
        required=False,
    )
