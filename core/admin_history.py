from django.core.exceptions import PermissionDenied
from simple_history.admin import SimpleHistoryAdmin


class ReadOnlyHistoryAdmin(SimpleHistoryAdmin):
    """Every change with who made it, to read, never to restore.

    Restoring an old version would write fields (a submission's status, a membership's decision) that only the
    workflow's services may change, so the history pages take no form posts (and settings hide the button).
    """

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method != "GET":
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)
