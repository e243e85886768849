"""Answers every API operation may give, whatever its own code does, declared once in the OpenAPI document.

They come from the layers around the operations: the body parser (400), token and session authentication
(401), the body-size limit (413), validation (422) and throttling (429). Listing them here keeps each
operation's declaration about its own answers.
"""

from typing import Any

from ninja import NinjaAPI
from ninja.openapi.schema import OpenAPISchema

MESSAGE = {
    "content": {
        "application/json": {
            "schema": {"type": "object", "properties": {"detail": {"type": "string"}}, "required": ["detail"]}
        }
    }
}
EVERY_OPERATION = {
    "401": "The API token is unknown, expired or revoked, or the operation needs authentication",
    "422": "A parameter or field is not valid",
    "429": "Too many requests; see the Retry-After header",
}
WITH_A_BODY = {
    "400": "The body is not a JSON object",
    "413": "The body is larger than the API accepts",
}
WITH_PATH_PARAMETERS = {"404": "No such record, or not one the caller may see"}


def with_common_responses(schema: OpenAPISchema) -> OpenAPISchema:
    for operations in schema.get("paths", {}).values():
        for operation in operations.values():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            # ninja keys its own answers by int status, the common ones are str: one key per status, as str, or
            # the JSON text holds "404" twice (Swagger UI's YAML parser refuses the document: duplicated key)
            responses: dict[str, Any] = {str(status): answer for status, answer in operation["responses"].items()}
            operation["responses"] = responses
            common = dict(EVERY_OPERATION)
            if "requestBody" in operation:
                common.update(WITH_A_BODY)
            if any(parameter.get("in") == "path" for parameter in operation.get("parameters", [])):
                common.update(WITH_PATH_PARAMETERS)
            for status, description in common.items():
                responses.setdefault(status, {"description": description, **MESSAGE})
    return schema


class DocumentedNinjaAPI(NinjaAPI):
    def get_openapi_schema(self, **kwargs: Any) -> OpenAPISchema:
        return with_common_responses(super().get_openapi_schema(**kwargs))
