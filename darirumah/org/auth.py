"""Login by NIP or by username."""

from django.contrib.auth.backends import ModelBackend

from .models import User
from .rules import normalise_nip


class NipOrUsernameBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None or password is None:
            return None
        login = username.strip()
        user = None
        candidate = normalise_nip(login)
        if candidate.isdigit() and len(candidate) == 18:
            user = User.objects.filter(employee__nip=candidate).first()
        if user is None:
            # Exact match first: usernames are unique case-sensitively, so "Budi" and "budi" can
            # both exist and the case-insensitive match alone would pick either one.
            user = (
                User.objects.filter(username=login).first()
                or User.objects.filter(username__iexact=login).order_by("pk").first()
            )
        if user is None:
            # Run the hasher anyway so timing does not reveal which logins exist.
            User().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
