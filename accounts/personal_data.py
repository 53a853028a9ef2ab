"""A person's own data: everything the portal holds about them, and deleting their account.

The export walks every model that points at the user model, so data added by a new feature is exported
without anyone remembering to add it here. Deleting an account keeps what the person did for their
organisation (applications, decisions, comments): those rows point at no one and read "former member".
"""

import json

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core import serializers
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.utils import timezone

from .services import administration_hand_over

# Never exported: secrets, and fields that only make sense inside the portal.
EXCLUDED_FIELDS = {"password", "secret", "data", "session_data", "key"}


def _rows(queryset) -> list[dict]:
    rows = []
    for item in serializers.serialize("python", queryset):
        fields = {name: value for name, value in item["fields"].items() if name not in EXCLUDED_FIELDS}
        rows.append({"id": item["pk"], **fields})
    return rows


def _user_relations():
    """(model, field name) for every foreign key or one-to-one to the user model, in a stable order."""
    user_model = get_user_model()
    for model in sorted(apps.get_models(), key=lambda m: m._meta.label):
        if model._meta.label in {"sessions.Session", "admin.LogEntry"}:
            continue
        for field in model._meta.get_fields():
            if isinstance(field, models.ForeignKey) and field.remote_field.model is user_model and field.concrete:
                yield model, field.name


def personal_data(user) -> dict:
    data = {
        "exported_at": timezone.now(),
        "account": _rows(get_user_model().objects.filter(pk=user.pk))[0],
    }
    for model, field in _user_relations():
        rows = _rows(model._default_manager.filter(**{field: user}).order_by("pk"))
        if rows:
            data.setdefault(model._meta.label, {})[field] = rows
    return data


def personal_data_json(user) -> str:
    return json.dumps(personal_data(user), cls=DjangoJSONEncoder, indent=2, ensure_ascii=False)


def account_delete(user) -> None:
    """Delete the person; their organisation's submissions stay, attributed to nobody ("former member").
    An organisation whose only administrator leaves gets its longest-standing member as administrator."""
    with transaction.atomic():
        administration_hand_over(leaving=user)
        get_user_model().objects.filter(pk=user.pk).delete()
