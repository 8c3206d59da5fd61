"""Log in (by NIP or username) and log out (POST only)."""

from django.contrib.auth import views as auth_views

from ..forms import LoginForm

login_view = auth_views.LoginView.as_view(
    template_name="registration/login.html",
    authentication_form=LoginForm,
    redirect_authenticated_user=True,
)

# Django's LogoutView accepts POST only: logging out changes state, so it is never a GET link.
logout_view = auth_views.LogoutView.as_view()
