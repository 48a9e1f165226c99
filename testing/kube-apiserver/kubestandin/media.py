"""Accept-header negotiation the way the apiserver reads it: media types with `as`, `g`, `v` parameters.

kubectl lists alternatives in preference order without q-values, e.g. Table then plain JSON for `get`, aggregated
discovery v2 then v2beta1 then plain JSON for `/api`. The first alternative the stand-in can produce wins. Protobuf
is never produced (kubectl v1.32 uses JSON for everything it sends here); an Accept with nothing producible is
406 NotAcceptable.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class MediaRange:
    type: str
    params: dict[str, str]

    def is_json(self) -> bool:
        return self.type in ("application/json", "application/*", "*/*")


def parse_accept(header: str | None) -> list[MediaRange]:
    if not header or not header.strip():
        return [MediaRange("*/*", {})]
    ranges = []
    for part in header.split(","):
        pieces = [piece.strip() for piece in part.split(";")]
        if not pieces[0]:
            continue
        params = {}
        for piece in pieces[1:]:
            key, _, value = piece.partition("=")
            params[key.strip().lower()] = value.strip().strip('"')
        ranges.append(MediaRange(pieces[0].lower(), params))
    return ranges


@dataclass(frozen=True)
class Representation:
    """What to answer with: a plain object, a Table (meta.k8s.io version), or PartialObjectMetadata."""

    form: str  # "object", "table", "metadata"
    version: str = "v1"


def choose_representation(header: str | None, allow_table: bool) -> Representation | None:
    for media in parse_accept(header):
        if not media.is_json():
            continue
        as_kind = media.params.get("as")
        if as_kind is None:
            return Representation("object")
        group, version = media.params.get("g"), media.params.get("v", "v1")
        if group != "meta.k8s.io" or version not in ("v1", "v1beta1"):
            continue
        if as_kind == "Table" and allow_table:
            return Representation("table", version)
        if as_kind in ("PartialObjectMetadata", "PartialObjectMetadataList"):
            return Representation("metadata", version)
    return None


def aggregated_discovery_version(header: str | None, supported: tuple[str, ...]) -> str | None:
    """The apidiscovery.k8s.io version the client prefers among those served, or None for the plain format."""
    for media in parse_accept(header):
        if media.params.get("as") == "APIGroupDiscoveryList" and media.params.get("g") == "apidiscovery.k8s.io":
            if media.params.get("v") in supported and media.type == "application/json":
                return media.params["v"]
            continue
        if media.is_json() and "as" not in media.params:
            return None
    return None


def base_type(content_type: str | None) -> str:
    return (content_type or "").split(";")[0].strip().lower()
