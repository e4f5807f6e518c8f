"""The OpenAPI 3.1 document, built from the same pydantic models that validate requests."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, jsonify
from pydantic import BaseModel

from .api import API_PREFIX, REGISTRY, Endpoint
from .routing import MAX_ID

bp = Blueprint("openapi", __name__, url_prefix=API_PREFIX)

ERROR_SCHEMA = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message", "fields"],
            "properties": {
                "code": {"type": "string"},
                "message": {"type": "string"},
                "fields": {"type": "object", "additionalProperties": {"type": "string"}},
            },
        }
    },
}


def _ref(model: type[BaseModel], components: dict[str, Any], mode: str) -> dict[str, Any]:
    schema = model.model_json_schema(ref_template="#/components/schemas/{model}", mode=mode)
    for name, definition in schema.pop("$defs", {}).items():
        components[name] = definition
    name = model.__name__
    components[name] = schema
    return {"$ref": f"#/components/schemas/{name}"}


def _error(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    }


def _operation(ep: Endpoint, components: dict[str, Any]) -> dict[str, Any]:
    op: dict[str, Any] = {
        "summary": ep.summary,
        "operationId": f"{ep.tag}_{ep.method.lower()}_{ep.rule.strip('/').replace('/', '_')}",
        "tags": [ep.tag],
        "responses": {},
    }
    params = []
    for name in _path_params(ep):
        params.append(
            {
                "name": name,
                "in": "path",
                "required": True,
                "schema": {"type": "integer", "minimum": 1, "maximum": MAX_ID},
            }
        )
    if ep.query is not None:
        query_schema = ep.query.model_json_schema(
            ref_template="#/components/schemas/{model}", mode="validation"
        )
        components.update(query_schema.pop("$defs", {}))
        required = set(query_schema.get("required", []))
        for name, prop in query_schema.get("properties", {}).items():
            params.append(
                {"name": name, "in": "query", "required": name in required, "schema": prop}
            )
    if params:
        op["parameters"] = params
    if ep.body is not None:
        op["requestBody"] = {
            "required": not ep.body_optional,
            "content": {"application/json": {"schema": _ref(ep.body, components, "validation")}},
        }
    elif ep.multipart:
        op["requestBody"] = {
            "required": True,
            "content": {"multipart/form-data": {"schema": _upload_schema(ep, components)}},
        }
    if ep.response is not None:
        schema: dict[str, Any] = _ref(ep.response, components, "serialization")
        if ep.many:
            schema = {
                "type": "object",
                "required": ["items", "total"],
                "properties": {
                    "items": {"type": "array", "items": schema},
                    "total": {"type": "integer"},
                },
            }
        content = {"application/json": {"schema": schema}}
        op["responses"][str(ep.status)] = {"description": "Success", "content": content}
    else:
        op["responses"][str(ep.status)] = {"description": "Success"}
    for media_type in ep.downloads:
        op["responses"][str(ep.status)].setdefault("content", {})[media_type] = {
            "schema": {"type": "string", "format": "binary"}
        }
    if ep.roles is not None:
        op["security"] = [{"bearer": []}]
        op["responses"]["401"] = _error("No or bad token")
        op["responses"]["403"] = _error(
            "Role not allowed (allowed: " + ", ".join(r.value for r in ep.roles) + ")"
        )
    op["responses"]["400"] = _error("Malformed request")
    op["responses"]["404"] = _error("Unknown id")
    op["responses"]["422"] = _error("Invalid fields")
    for code, description in ep.extra_statuses.items():
        op["responses"].setdefault(str(code), _error(description))
    return op


def _upload_schema(ep: Endpoint, components: dict[str, Any]) -> dict[str, Any]:
    """A multipart upload: its `file`, and the fields of its declared `form` model."""
    schema: dict[str, Any] = {
        "type": "object",
        "required": ["file"],
        "properties": {"file": {"type": "string", "format": "binary"}},
    }
    if ep.form is not None:
        fields = ep.form.model_json_schema(
            ref_template="#/components/schemas/{model}", mode="validation"
        )
        components.update(fields.pop("$defs", {}))
        schema["properties"].update(fields.get("properties", {}))
        schema["required"] += fields.get("required", [])
    return schema


def _path_params(ep: Endpoint) -> list[str]:
    import re

    return re.findall(r"<(?:\w+:)?(\w+)>", ep.rule)


def build_openapi() -> dict[str, Any]:
    components: dict[str, Any] = {"Error": ERROR_SCHEMA}
    paths: dict[str, Any] = {}
    for ep in REGISTRY:
        paths.setdefault(ep.openapi_path, {})[ep.method.lower()] = _operation(ep, components)
    return {
        "openapi": "3.1.0",
        "info": {"title": "RESLOG Events API", "version": "1"},
        "servers": [{"url": "/"}],
        "paths": paths,
        "components": {
            "schemas": components,
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        },
    }


@bp.get("/openapi.json")
def openapi_document():
    return jsonify(build_openapi())
