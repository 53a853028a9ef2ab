"""CSV and XLSX exports for the back office, shared by every admin that exports rows.

Rows are read with `queryset.iterator(chunk_size=2000)` so 100,000 rows never sit in memory at once: CSV streams
line by line to the browser; XLSX is written by openpyxl's write-only workbook to a temporary file that is then
sent. Text a spreadsheet would run as a formula stays text in both formats.
"""

import csv
import datetime as dt
import decimal
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.utils import label_for_field, lookup_field
from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponseRedirect, StreamingHttpResponse
from django.urls import path, reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

CHUNK_SIZE = 2000
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Column:
    """One exported column: its heading and how to read the value from a row.

    `value` is a dotted attribute path ("organisation.name", "get_status_display") whose callables are called,
    or a function of the row.
    """

    header: str
    value: str | Callable[[Model], Any]

    def read(self, row: Model) -> Any:
        if callable(self.value):
            return self.value(row)
        current: Any = row
        for part in self.value.split("."):
            current = getattr(current, part, None)
            if current is None:
                return None
            if callable(current):
                current = current()
        return current


def _rows(queryset: QuerySet, columns: Iterable[Column]) -> Iterator[list[Any]]:
    columns = list(columns)
    for row in queryset.iterator(chunk_size=CHUNK_SIZE):
        yield [column.read(row) for column in columns]


def _safe_text(text: str) -> str:
    """Text a spreadsheet would run as a formula (=, +, -, @) is prefixed with a quote, so it stays text."""
    return f"'{text}" if text[:1] in FORMULA_PREFIXES else text


def _csv_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    return _safe_text(str(value))


class _Echo:
    """A file-like object whose write returns the line, so csv.writer feeds a streaming response."""

    def write(self, value: str) -> str:
        return value


def csv_response(queryset: QuerySet, columns: Iterable[Column], filename: str) -> StreamingHttpResponse:
    """Stream the rows as CSV (UTF-8 with a BOM so spreadsheet programs read accents), dates in UTC."""
    columns = list(columns)
    writer = csv.writer(_Echo())

    def lines() -> Iterator[str]:
        yield "\ufeff"
        yield writer.writerow([str(column.header) for column in columns])
        for values in _rows(queryset, columns):
            yield writer.writerow([_csv_value(value) for value in values])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _xlsx_cell(sheet, value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, bool | int | float | decimal.Decimal | dt.date):
        if isinstance(value, dt.datetime):
            # Excel has no time zones: every time is written in UTC, as the heading says.
            return value.astimezone(dt.UTC).replace(tzinfo=None)
        return value
    cell = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("", str(value)))
    cell.data_type = "s"  # never a formula, whatever the text starts with
    return cell


def xlsx_response(queryset: QuerySet, columns: Iterable[Column], filename: str, sheet_title: str) -> FileResponse:
    """Write the rows to an XLSX file on disk (openpyxl's write-only mode keeps memory flat), then send it."""
    columns = list(columns)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=str(sheet_title)[:31])
    sheet.append([_xlsx_cell(sheet, str(column.header)) for column in columns])
    for values in _rows(queryset, columns):
        sheet.append([_xlsx_cell(sheet, value) for value in values])
    # Not a `with` block: FileResponse closes the file once it is sent, and a temporary file is then removed.
    file = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115
    workbook.save(file)
    file.seek(0)
    return FileResponse(
        file,
        as_attachment=True,
        filename=filename,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


def _list_display_value(model_admin, name: str, row: Model) -> Any:
    """What the changelist shows in column `name`, as data: choices by their label, relations by their name."""
    field, _attr, value = lookup_field(name, row, model_admin)
    if field is not None and getattr(field, "flatchoices", None):
        return dict(field.flatchoices).get(value, value)
    if isinstance(value, Model):
        return str(value)
    return value


class ExportAdminMixin:
    """CSV and XLSX exports for a ModelAdmin: actions over the selected rows, and changelist buttons that
    export every row the current search and filters show.

    An admin lists `*ExportAdminMixin.export_actions` in its `actions` and may set `export_columns`; without
    them the export has the changelist's columns.
    """

    export_enabled = True
    export_columns: list[Column] = []
    export_select_related: tuple[str, ...] = ()
    export_actions = ["export_csv", "export_xlsx"]

    def get_export_columns(self) -> list[Column]:
        if self.export_columns:
            return self.export_columns
        return [
            Column(label_for_field(name, self.model, self), partial(_list_display_value, self, name))
            for name in self.list_display
            if name != "action_checkbox"
        ]

    def export_queryset(self, queryset: QuerySet) -> QuerySet:
        return queryset.select_related(*self.export_select_related) if self.export_select_related else queryset

    def export_response(self, queryset: QuerySet, file_format: str):
        opts = self.model._meta
        name = f"{opts.model_name}s"
        queryset = self.export_queryset(queryset)
        columns = self.get_export_columns()
        if file_format == "xlsx":
            return xlsx_response(queryset, columns, f"{name}.xlsx", opts.verbose_name_plural.capitalize())
        return csv_response(queryset, columns, f"{name}.csv")

    @admin.action(description=_("Export the selected (CSV)"), permissions=["view"])
    def export_csv(self, request, queryset):
        return self.export_response(queryset, "csv")

    @admin.action(description=_("Export the selected (XLSX, for Excel)"), permissions=["view"])
    def export_xlsx(self, request, queryset):
        return self.export_response(queryset, "xlsx")

    def export_view(self, request: HttpRequest, file_format: str):
        """Every row of the changelist as it is filtered and searched now (the query string is the changelist's)."""
        if file_format not in ("csv", "xlsx"):
            raise Http404
        if not self.has_view_permission(request):
            raise PermissionDenied
        try:
            changelist = self.get_changelist_instance(request)
        except IncorrectLookupParameters:
            opts = self.model._meta
            return HttpResponseRedirect(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist") + "?e=1")
        return self.export_response(changelist.get_queryset(request), file_format)

    def get_urls(self):
        opts = self.model._meta
        urls = [
            path(
                "export/<str:file_format>/",
                self.admin_site.admin_view(self.export_view),
                name=f"{opts.app_label}_{opts.model_name}_export",
            )
        ]
        return urls + super().get_urls()
