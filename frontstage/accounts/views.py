from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from frontstage.accounts.models import Staff

View = Callable[..., HttpResponse]


def console_view(perm: str) -> Callable[[View], View]:
    """A console page: sends anonymous visitors to the login page and refuses (403) anyone
    without `perm`. Pages about one object check the object's permission themselves and answer
    404 when it is outside the user's units, so they never confirm it exists."""

    def decorate(view: View) -> View:
        @wraps(view)
        @login_required
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.has_perm(perm):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorate


def acting_staff(request: HttpRequest) -> Staff:
    """The logged-in staff member behind a request that has passed a permission check."""
    if not isinstance(request.user, Staff):
        raise PermissionDenied
    return request.user


login = auth_views.LoginView.as_view(
    template_name="accounts/login.html", redirect_authenticated_user=True
)
logout = auth_views.LogoutView.as_view()
