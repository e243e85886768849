from django.conf import settings
from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from ccx.accounts import token_views, views

app_name = "accounts"

# Django's sign-in views and reset e-mail name the site after the request's host ("127.0.0.1:8000"); we have a name.
SITE_NAME = {"site_name": settings.SITE_NAME}

urlpatterns = [
    path(
        "login/", auth_views.LoginView.as_view(redirect_authenticated_user=True, extra_context=SITE_NAME), name="login"
    ),
    path("logout/", auth_views.LogoutView.as_view(extra_context=SITE_NAME), name="logout"),
    path("", views.dashboard, name="dashboard"),
    path("notifications/", views.notification_settings, name="notifications"),
    path("cities/<slug:slug>/invite/", views.invite, name="invite"),
    path("invitations/<int:pk>/revoke/", views.revoke, name="revoke_invitation"),
    path("invitation/<str:token>/", views.accept, name="accept_invitation"),
    path("tokens/", token_views.tokens, name="tokens"),
    path("tokens/<int:pk>/revoke/", token_views.revoke, name="revoke_token"),
    path(
        "password-reset/",
        auth_views.PasswordResetView.as_view(
            success_url=reverse_lazy("accounts:password_reset_done"),
            email_template_name="registration/password_reset_email.txt",
            subject_template_name="registration/password_reset_subject.txt",
            extra_email_context=SITE_NAME,
        ),
        name="password_reset",
    ),
    path("password-reset/sent/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "password-reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(success_url=reverse_lazy("accounts:password_reset_complete")),
        name="password_reset_confirm",
    ),
    path("password-reset/done/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path(
        "password/",
        auth_views.PasswordChangeView.as_view(success_url=reverse_lazy("accounts:dashboard")),
        name="password_change",
    ),
]
