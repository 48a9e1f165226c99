"""The four PATCH body types the apiserver takes, applied to plain JSON objects.

* `application/merge-patch+json` — RFC 7386: maps merge, `null` deletes, lists are replaced.
* `application/strategic-merge-patch+json` — what `kubectl apply` (client side) and `kubectl patch` send for
  built-in kinds. Lists of named things (containers, env, ports, volumes, ...) merge by their merge key instead of
  being replaced, and the patch carries directives (`$patch`, `$retainKeys`, `$setElementOrder/…`,
  `$deleteFromPrimitiveList/…`) that must never end up stored. The merge keys below are the ones the Kubernetes
  types declare for the fields the stand-in's kinds have; anything else is replaced like a merge patch. This is an
  approximation of the real thing, good enough for three-way apply of ordinary manifests.
* `application/json-patch+json` — RFC 6902 operations (`kubectl patch --type=json`).
* `application/apply-patch+yaml` — server-side apply; approximated as "create, or merge onto what is stored"
  without field ownership (no managedFields, no conflicts).
"""

from __future__ import annotations

import copy
from typing import Any

from .status import ApiError, bad_request

MERGE_PATCH = "application/merge-patch+json"
STRATEGIC_MERGE_PATCH = "application/strategic-merge-patch+json"
JSON_PATCH = "application/json-patch+json"
APPLY_PATCH = "application/apply-patch+yaml"
PATCH_TYPES = [JSON_PATCH, MERGE_PATCH, APPLY_PATCH, STRATEGIC_MERGE_PATCH]

# Field name -> merge key, from the patchMergeKey tags of the core/v1 and apps/v1 types served here.
MERGE_KEYS = {
    "containers": "name",
    "initContainers": "name",
    "ephemeralContainers": "name",
    "env": "name",
    "volumes": "name",
    "volumeMounts": "mountPath",
    "volumeDevices": "devicePath",
    "imagePullSecrets": "name",
    "hostAliases": "ip",
    "conditions": "type",
    "ownerReferences": "uid",
}
# Lists of scalars whose patch strategy is "merge" (union) rather than replace.
PRIMITIVE_MERGE_FIELDS = {"finalizers"}

_DELETE = object()


def apply(content_type: str, target: dict[str, Any], patch: Any) -> dict[str, Any]:
    """Apply a PATCH body of the given media type; the result must still be an object."""
    if content_type == JSON_PATCH:
        result = json_patch(target, patch)
    elif not isinstance(patch, dict):
        raise bad_request("a merge patch must be a JSON object")
    elif content_type == STRATEGIC_MERGE_PATCH:
        result = strategic_merge_patch(target, patch)
    else:
        result = merge_patch(target, patch)
    if not isinstance(result, dict):
        raise bad_request("the patch did not produce an object")
    return result


def merge_patch(target: Any, patch: Any) -> Any:
    if not isinstance(patch, dict):
        return copy.deepcopy(patch)
    result = copy.deepcopy(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = merge_patch(result.get(key), value)
    return result


def _strip_directives(value: Any) -> Any:
    if isinstance(value, dict):
        return {
            key: _strip_directives(item)
            for key, item in value.items()
            if not key.startswith("$") and item is not None
        }
    if isinstance(value, list):
        return [_strip_directives(item) for item in value if not (isinstance(item, dict) and "$patch" in item)]
    return copy.deepcopy(value)


def _merge_key(field: str | None, items: list[Any]) -> str | None:
    if field == "ports":
        maps = [item for item in items if isinstance(item, dict)]
        return "containerPort" if any("containerPort" in item for item in maps) else "port"
    return MERGE_KEYS.get(field or "")


def strategic_merge_patch(original: Any, patch: Any) -> Any:
    merged = _merge_map(original, patch)
    return {} if merged is _DELETE else merged


def _merge_map(original: Any, patch: Any) -> Any:
    if not isinstance(patch, dict):
        return copy.deepcopy(patch)
    if not isinstance(original, dict):
        original = {}
    patch = dict(patch)
    directive = patch.pop("$patch", None)
    if directive == "replace":
        return _strip_directives(patch)
    if directive == "delete":
        return _DELETE
    retain = patch.pop("$retainKeys", None)
    orders = {key.split("/", 1)[1]: patch.pop(key) for key in list(patch) if key.startswith("$setElementOrder/")}
    removals = {
        key.split("/", 1)[1]: patch.pop(key) for key in list(patch) if key.startswith("$deleteFromPrimitiveList/")
    }
    result = copy.deepcopy(original)
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        elif isinstance(value, dict):
            merged = _merge_map(result.get(key), value)
            if merged is _DELETE:
                result.pop(key, None)
            else:
                result[key] = merged
        elif isinstance(value, list):
            result[key] = _merge_list(result.get(key), value, key)
        else:
            result[key] = copy.deepcopy(value)
    for key, values in removals.items():
        if isinstance(result.get(key), list):
            result[key] = [item for item in result[key] if item not in values]
    for key, order in orders.items():
        if isinstance(result.get(key), list):
            result[key] = _reorder(result[key], order, _merge_key(key, result[key]))
    if isinstance(retain, list):
        result = {key: value for key, value in result.items() if key in retain}
    return result


def _merge_list(original: Any, patch: list[Any], field: str) -> list[Any]:
    original = original if isinstance(original, list) else []
    key = _merge_key(field, patch + original)
    if key is None or not all(isinstance(item, dict) for item in patch):
        if field in PRIMITIVE_MERGE_FIELDS:
            return copy.deepcopy(original) + [item for item in patch if item not in original]
        return _strip_directives(patch)
    if any(item.get("$patch") == "replace" for item in patch):
        return _strip_directives(patch)
    result = copy.deepcopy(original)
    for item in patch:
        position = next(
            (
                index
                for index, existing in enumerate(result)
                if isinstance(existing, dict) and existing.get(key) == item.get(key)
            ),
            None,
        )
        if item.get("$patch") == "delete":
            if position is not None:
                del result[position]
        elif position is not None:
            result[position] = _merge_map(result[position], item)
        else:
            result.append(_strip_directives(item))
    return result


def _reorder(items: list[Any], order: list[Any], key: str | None) -> list[Any]:
    def identity(item: Any) -> Any:
        return item.get(key) if key and isinstance(item, dict) else item

    wanted = [identity(entry) for entry in order]
    ranked = sorted(
        enumerate(items),
        key=lambda pair: (wanted.index(identity(pair[1])) if identity(pair[1]) in wanted else len(wanted), pair[0]),
    )
    return [item for _, item in ranked]


def _pointer(path: str) -> list[str]:
    if path == "":
        return []
    if not path.startswith("/"):
        raise _patch_error(f"invalid JSON pointer {path!r}")
    return [part.replace("~1", "/").replace("~0", "~") for part in path[1:].split("/")]


def _patch_error(message: str) -> ApiError:
    return ApiError(422, "Invalid", f"the server rejected our request due to an error in our request: {message}")


def _parent(document: Any, parts: list[str]) -> tuple[Any, str]:
    if not parts:
        raise _patch_error("operation on the document root is not supported")
    node = document
    for part in parts[:-1]:
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        else:
            raise _patch_error(f"doc is missing path: /{'/'.join(parts)}")
    return node, parts[-1]


def _read(document: Any, parts: list[str]) -> Any:
    parent, last = _parent(document, parts)
    if isinstance(parent, dict) and last in parent:
        return parent[last]
    if isinstance(parent, list) and last.isdigit() and int(last) < len(parent):
        return parent[int(last)]
    raise _patch_error(f"doc is missing path: /{'/'.join(parts)}")


def _add(document: Any, parts: list[str], value: Any) -> None:
    parent, last = _parent(document, parts)
    if isinstance(parent, dict):
        parent[last] = value
    elif isinstance(parent, list):
        index = len(parent) if last == "-" else int(last) if last.isdigit() else -1
        if not 0 <= index <= len(parent):
            raise _patch_error(f"add index out of bounds: /{'/'.join(parts)}")
        parent.insert(index, value)
    else:
        raise _patch_error(f"doc is missing path: /{'/'.join(parts)}")


def _remove(document: Any, parts: list[str]) -> Any:
    value = _read(document, parts)
    parent, last = _parent(document, parts)
    if isinstance(parent, dict):
        del parent[last]
    else:
        del parent[int(last)]
    return value


def json_patch(target: Any, operations: Any) -> Any:
    if not isinstance(operations, list):
        raise _patch_error("a JSON patch is a list of operations")
    document = copy.deepcopy(target)
    for operation in operations:
        if not isinstance(operation, dict) or "op" not in operation or "path" not in operation:
            raise _patch_error(f"bad operation {operation!r}")
        op, parts = operation["op"], _pointer(operation["path"])
        if op == "add":
            _add(document, parts, copy.deepcopy(operation.get("value")))
        elif op == "remove":
            _remove(document, parts)
        elif op == "replace":
            _remove(document, parts)
            _add(document, parts, copy.deepcopy(operation.get("value")))
        elif op == "move":
            _add(document, parts, _remove(document, _pointer(operation.get("from", ""))))
        elif op == "copy":
            _add(document, parts, copy.deepcopy(_read(document, _pointer(operation.get("from", "")))))
        elif op == "test":
            if _read(document, parts) != operation.get("value"):
                raise _patch_error(f"testing value /{'/'.join(parts)} failed")
        else:
            raise _patch_error(f"unexpected operation {op!r}")
    return document
