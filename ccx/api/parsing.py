"""How the API reads a request body: a JSON object, nothing else.

Every body the API takes is an object of named fields. Anything else (a bare string, a list, a number) is
refused before validation: a schema built from attributes would otherwise read `"text".title()` as a title.
"""

import json
from typing import Any

from django.http import HttpRequest
from ninja.parser import Parser


class ObjectBodyParser(Parser):
    def parse_body(self, request: HttpRequest) -> dict[str, Any]:
        data = json.loads(request.body)
        if not isinstance(data, dict):
            raise ValueError("the body must be a JSON object of named fields")
        return data
