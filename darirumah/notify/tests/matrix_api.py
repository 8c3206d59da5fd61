"""Who may call each notification endpoint (see darirumah/core/tests/matrix.py).

Everyone has an inbox; a notice belongs to one person, and for anyone else it does not exist.
"""

from darirumah.core.tests.matrix import EVERYONE, Case
from darirumah.notify.tests.factories import make_notification

P = "/api/v1"


def _pegawais_notice(cast):
    return {"notification_id": make_notification(cast.pegawai.user).pk}


API = {
    ("GET", f"{P}/notifications"): Case(EVERYONE, query=lambda c: {"unread": "true"}),
    ("POST", f"{P}/notifications/{{notification_id}}/read"): Case(
        frozenset({"pegawai"}), path=_pegawais_notice, denied=(404,)
    ),
    ("POST", f"{P}/notifications/read-all"): Case(EVERYONE),
}
