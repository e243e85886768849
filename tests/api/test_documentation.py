"""The OpenAPI document's common answers (ccx/api/documentation.py)."""

import json
from typing import Any

from django.test import Client


def keys_once(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    keys = [key for key, _ in pairs]
    assert len(keys) == len(set(keys)), f"a key twice in one object: {sorted(keys)}"
    return dict(pairs)


def test_the_document_names_each_answer_of_an_operation_once(client: Client) -> None:
    """Swagger UI reads the document with a YAML parser that refuses a key given twice ("404" from the
    operation and "404" from the common answers), and then shows an error instead of the documentation."""
    schema = json.loads(client.get("/api/v1/openapi.json").content, object_pairs_hook=keys_once)
    transfer = schema["paths"]["/api/v1/transfers/{transfer_id}"]["patch"]["responses"]
    assert sorted(transfer) == ["200", "400", "401", "403", "404", "413", "422", "429"]
    assert transfer["404"]["description"] != "No such record, or not one the caller may see"
