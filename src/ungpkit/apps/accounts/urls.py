"""Account pages (under the language prefix, e.g. /en/accounts/)."""

from django.urls import path

from ungpkit.apps.accounts import views

app_name = "accounts"

urlpatterns = [
    path("sign-in/", views.SignInView.as_view(), name="sign_in"),
    path("sign-out/", views.SignOutView.as_view(), name="sign_out"),
    path("invitations/<str:token>/", views.invitation, name="invitation"),
]
