"""Who may open each notification page (see darirumah/core/tests/matrix.py)."""

from darirumah.core.tests.matrix import EVERYONE, Case
from darirumah.notify.tests.factories import make_notification


def _pegawais_notice(cast):
    return {"pk": make_notification(cast.pegawai.user).pk}


PAGES = {
    "notification_list": Case(EVERYONE),
    # Only the recipient marks a notice read; for anyone else it does not exist.
    "notification_read": Case(
        frozenset({"pegawai"}), path=_pegawais_notice, method="POST", ok=(302,), denied=(404,)
    ),
    "notification_read_all": Case(EVERYONE, method="POST", ok=(302,)),
}
