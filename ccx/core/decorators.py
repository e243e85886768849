"""View decorators for pages that need a role.

Django's `user_passes_test` sends everyone who fails the test to the sign-in page. A signed-in person who
lacks the role would then be sent straight back (the sign-in page forwards signed-in visitors to `next`),
an endless loop. Here only anonymous visitors are asked to sign in; everyone else gets a 403 page.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.http.response import HttpResponseBase

View = TypeVar("View", bound=Callable[..., HttpResponseBase])


def role_required(test: Callable[[Any], bool]) -> Callable[[View], View]:
    def decorator(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if test(request.user):
                return view(request, *args, **kwargs)
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            raise PermissionDenied

        return wrapper  # type: ignore[return-value]

    return decorator
