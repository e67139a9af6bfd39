"""Hypothesis strategies for property tests of code that uses ECR.

This module imports ``hypothesis``, a test-time dependency that fake_ecr itself does not install:
add it to your test dependencies (``pip install hypothesis``) before importing
``fake_ecr.strategies``.

Every strategy is built from the rules the fake validates with (botocore's model patterns and
lengths, fake_ecr's own tag, digest, lifecycle and policy rules), so a value from a *valid*
strategy is always accepted by fake_ecr and a value from an ``invalid_*`` strategy is always
refused. ``tests/test_strategies.py`` holds the properties that prove it.

* :func:`repository_names`, :func:`image_tags`, :func:`digests` and their ``invalid_*`` twins;
* :func:`image_pushes`: arguments for :func:`fake_ecr.push_image`, covering Docker v2 schema 2
  and OCI image manifests, Docker manifest lists and OCI indexes, and OCI artifacts (with
  :func:`referrer_pushes` for artifacts that name a ``subject``); the blobs are generated with the
  manifest, so every push succeeds with ``require_blobs=True``;
* :func:`image_manifests`: the same kinds as manifest text with their blobs, for code that
  uploads layers and calls PutImage itself;
* :func:`lifecycle_policies` / :func:`invalid_lifecycle_policies` (``lifecyclePolicyText``);
* :func:`repository_policies` / :func:`invalid_repository_policies` (``policyText``).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Callable, Optional

from hypothesis import strategies as st

from fake_ecr import image_builder
from fake_ecr.core.service_models import operation_names, service_model
from fake_ecr.features.images.image_ids import IMAGE_TAG
from fake_ecr.features.lifecycle import rules as lifecycle
from fake_ecr.image_builder import push_image
from fake_ecr.model import manifests
from fake_ecr.model.manifests import IMAGE_ID_DIGEST

__all__ = [
    "IMAGE_KINDS",
    "GeneratedManifest",
    "ImagePush",
    "digests",
    "image_manifests",
    "image_pushes",
    "image_tags",
    "invalid_digests",
    "invalid_image_tags",
    "invalid_lifecycle_policies",
    "invalid_repository_names",
    "invalid_repository_policies",
    "lifecycle_policies",
    "referrer_pushes",
    "repository_names",
    "repository_policies",
]

_SERVICES = ("ecr", "ecr-public")


def _constraints(service: str, shape: str) -> dict[str, Any]:
    return dict(service_model(service).shape_for(shape).metadata)


def _check_service(service: str) -> None:
    if service not in _SERVICES:
        raise ValueError(f"service must be one of {_SERVICES}, not {service!r}")


# -- repository names ------------------------------------------------------------------------------


def repository_names(service: str = "ecr", *, max_size: Optional[int] = None) -> st.SearchStrategy[str]:
    """Repository names ``service`` (``"ecr"`` or ``"ecr-public"``) accepts, such as ``team/app-1``.

    Built from the pattern and lengths of the service's botocore model. ``max_size`` lowers the
    model's maximum (256 for ECR, 205 for ECR Public), e.g. to keep examples readable.
    """
    _check_service(service)
    meta = _constraints(service, "RepositoryName")
    low, high = int(meta["min"]), int(meta["max"])
    if max_size is not None:
        high = min(high, max_size)
    pattern = re.compile(meta["pattern"])
    component = st.from_regex(re.compile(r"[a-z0-9]{1,8}(?:[._-][a-z0-9]{1,8}){0,2}"), fullmatch=True)
    names = st.lists(component, min_size=1, max_size=3).map("/".join)
    return names.filter(lambda name: low <= len(name) <= high and pattern.fullmatch(name) is not None)


def invalid_repository_names(service: str = "ecr") -> st.SearchStrategy[str]:
    """Names ``service`` refuses: outside the model's pattern or its length limits."""
    _check_service(service)
    meta = _constraints(service, "RepositoryName")
    low, high = int(meta["min"]), int(meta["max"])
    pattern = re.compile(meta["pattern"])

    def invalid(name: str) -> bool:
        return not (low <= len(name) <= high) or pattern.fullmatch(name) is None

    return st.one_of(
        st.text(min_size=1, max_size=40),
        repository_names(service).map(str.upper),
        repository_names(service).map(lambda name: name + "/"),
        repository_names(service).map(lambda name: "-" + name),
        st.just("a" * (high + 1)),
        st.sampled_from(["a", "a//b", "a..b", "a_-b", "A", "app:v1"]),
    ).filter(invalid)


# -- image tags and digests ------------------------------------------------------------------------


def image_tags(*, max_size: Optional[int] = None) -> st.SearchStrategy[str]:
    """Image tags PutImage accepts: ``[a-zA-Z0-9_.-]+``, 1 to 300 characters."""
    high = int(_constraints("ecr", "ImageTag")["max"])
    if max_size is not None:
        high = min(high, max_size)
    alphabet = st.sampled_from("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-")
    return st.text(alphabet, min_size=1, max_size=min(high, 40)).filter(
        lambda tag: IMAGE_TAG.fullmatch(tag) is not None
    )


def invalid_image_tags() -> st.SearchStrategy[str]:
    """Tags PutImage refuses: characters outside ``[a-zA-Z0-9_.-]``, empty, or too long."""
    high = int(_constraints("ecr", "ImageTag")["max"])
    return st.one_of(
        st.text(min_size=1, max_size=30),
        st.builds(lambda tag, bad: tag + bad, image_tags(max_size=20), st.sampled_from(["/", ":", "@", " ", "+", "é"])),
        st.just(""),
        st.just("t" * (high + 1)),
    ).filter(lambda tag: not tag or len(tag) > high or IMAGE_TAG.fullmatch(tag) is None)


def digests() -> st.SearchStrategy[str]:
    """SHA-256 digests in the form ECR writes them: ``sha256:`` and 64 lower-case hex digits."""
    return st.binary(min_size=32, max_size=32).map(lambda raw: "sha256:" + raw.hex())


def invalid_digests() -> st.SearchStrategy[str]:
    """Strings ECR refuses as an image identifier's ``imageDigest``."""
    return st.one_of(
        st.text(max_size=80),
        digests().map(lambda d: d.replace(":", "")),
        digests().map(lambda d: d[:-1] + "g"),
        digests().map(lambda d: "sha256 " + d[7:]),
    ).filter(lambda digest: IMAGE_ID_DIGEST.fullmatch(digest) is None)


# -- images ----------------------------------------------------------------------------------------

#: The manifest kinds :func:`image_pushes` generates, as :func:`fake_ecr.push_image` names them.
IMAGE_KINDS = ("docker", "oci", "docker-list", "oci-index", "artifact")
_PLATFORMS = ("linux/amd64", "linux/arm64", "linux/arm/v7", "linux/ppc64le", "linux/s390x", "windows/amd64")
_ARTIFACT_TYPES = (
    "application/vnd.example.sbom.v1+json",
    "application/vnd.cncf.notary.signature",
    "application/vnd.dev.cosign.artifact.sig.v1+json",
    "application/spdx+json",
)


@dataclass(frozen=True)
class ImagePush:
    """One image to push: ``push_image(client, repository, push.tag, **push.options)``.

    ``kind`` is one of :data:`IMAGE_KINDS`; ``options`` are :func:`fake_ecr.push_image`'s keyword
    arguments, with the layers' bytes drawn by hypothesis, so an example is reproducible and its
    digest depends only on what was drawn. Two pushes with the same :attr:`layers` (and kind)
    build the same image: draw lists with ``unique_by=lambda push: push.layers`` when every
    push must add a new image.
    """

    kind: str
    tag: Optional[str]
    options: dict[str, Any] = field(default_factory=dict)

    @property
    def layers(self) -> tuple[bytes, ...]:
        """The layers' bytes (the blobs of an artifact)."""
        return tuple(self.options["layers"])

    def push(self, client: Any, repository: str) -> str:
        """Push the image to ``repository`` through ``client`` and return its digest."""
        return push_image(client, repository, self.tag, **self.options)


_layer_blobs = st.lists(st.binary(min_size=1, max_size=64), min_size=1, max_size=3)
_annotations = st.one_of(
    st.none(),
    st.dictionaries(
        st.sampled_from(["org.opencontainers.image.source", "org.opencontainers.image.version", "com.example.team"]),
        st.text(max_size=12),
        min_size=1,
        max_size=2,
    ),
)


@st.composite
def _image_push(draw: Callable[..., Any], kinds: Sequence[str], tags: st.SearchStrategy[Optional[str]]) -> ImagePush:
    kind = draw(st.sampled_from(list(kinds)))
    options: dict[str, Any] = {"layers": draw(_layer_blobs)}
    annotations = draw(_annotations)
    if annotations:
        options["annotations"] = annotations
    if kind == "artifact":
        options["media_type"] = "oci"
        options["artifact_type"] = draw(st.sampled_from(_ARTIFACT_TYPES))
    else:
        options["media_type"] = kind
    if kind in ("docker-list", "oci-index"):
        options["platforms"] = draw(st.lists(st.sampled_from(_PLATFORMS), min_size=1, max_size=3, unique=True))
    return ImagePush(kind, draw(tags), options)


def image_pushes(
    kinds: Sequence[str] = IMAGE_KINDS, *, tags: Optional[st.SearchStrategy[Optional[str]]] = None
) -> st.SearchStrategy[ImagePush]:
    """Images of the given ``kinds`` (all of :data:`IMAGE_KINDS` by default) ready to push.

    :param tags: the strategy for the tag (default: :func:`image_tags`, or ``None`` one time in
        five for an untagged push). Pass ``st.just("latest")`` or your own tags to steer it.
    """
    unknown = set(kinds) - set(IMAGE_KINDS)
    if unknown or not kinds:
        raise ValueError(f"kinds must be taken from {IMAGE_KINDS}, not {sorted(unknown) or kinds}")
    if tags is None:
        tags = st.one_of(st.none(), image_tags(max_size=20), image_tags(max_size=20), image_tags(max_size=20))
    return _image_push(kinds, tags)


def referrer_pushes(
    subject: str, *, tags: Optional[st.SearchStrategy[Optional[str]]] = None
) -> st.SearchStrategy[ImagePush]:
    """OCI artifacts (signatures, SBOMs) that refer to the image ``subject`` (a digest in the
    repository they are pushed to), as an OCI 1.1 ``subject`` descriptor."""
    pushes = image_pushes(("artifact",), tags=tags if tags is not None else st.none())
    return pushes.map(lambda p: ImagePush("artifact", p.tag, {**p.options, "subject": subject}))


@dataclass(frozen=True)
class GeneratedManifest:
    """An image manifest with every blob it references, for code that pushes on its own.

    ``manifest`` is the exact text to give PutImage (its digest is :attr:`digest`), ``blobs`` the
    config and layers to upload first, and ``children`` the platform manifests an index or
    manifest list names, which must be pushed before it. :meth:`push` does all of that through
    the layer upload API and PutImage.
    """

    media_type: str
    manifest: str
    blobs: tuple[bytes, ...] = ()
    children: tuple[GeneratedManifest, ...] = ()

    @property
    def digest(self) -> str:
        return _sha256(self.manifest.encode("utf-8"))

    def push(self, client: Any, repository: str, tag: Optional[str] = None) -> str:
        """Upload the blobs, push the children untagged, then put this manifest; return its digest."""
        for child in self.children:
            if not client.batch_get_image(repositoryName=repository, imageIds=[{"imageDigest": child.digest}])[
                "images"
            ]:
                child.push(client, repository)
        blobs = {_sha256(blob): blob for blob in self.blobs}
        if blobs:
            checked = client.batch_check_layer_availability(repositoryName=repository, layerDigests=list(blobs))
            for layer in checked["layers"]:
                if layer.get("layerAvailability") == "AVAILABLE":
                    blobs.pop(layer["layerDigest"], None)
        for blob in blobs.values():
            started = client.initiate_layer_upload(repositoryName=repository)
            client.upload_layer_part(
                repositoryName=repository,
                uploadId=started["uploadId"],
                partFirstByte=0,
                partLastByte=len(blob) - 1,
                layerPartBlob=blob,
            )
            client.complete_layer_upload(
                repositoryName=repository, uploadId=started["uploadId"], layerDigests=[_sha256(blob)]
            )
        extra = {"imageTag": tag} if tag is not None else {}
        client.put_image(
            repositoryName=repository, imageManifest=self.manifest, imageManifestMediaType=self.media_type, **extra
        )
        return self.digest


def _sha256(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


def _descriptor(media_type: str, data: bytes) -> dict[str, Any]:
    return {"mediaType": media_type, "digest": _sha256(data), "size": len(data)}


def _image_manifest(kind: str, platform: str, layers: list[bytes], artifact_type: Optional[str]) -> GeneratedManifest:
    docker = kind == "docker"
    media_type = manifests.DOCKER_MANIFEST if docker else manifests.OCI_MANIFEST
    if artifact_type is not None:
        config, config_type, layer_type = b"{}", image_builder.OCI_EMPTY, image_builder.ARTIFACT_BLOB
    else:
        os_name, _, architecture = platform.partition("/")
        config = json.dumps(
            {
                "architecture": architecture,
                "os": os_name,
                "rootfs": {"type": "layers", "diff_ids": [_sha256(layer) for layer in layers]},
            },
            sort_keys=True,
        ).encode()
        config_type = image_builder.DOCKER_CONFIG if docker else image_builder.OCI_CONFIG
        layer_type = image_builder.DOCKER_LAYER if docker else image_builder.OCI_LAYER
    document: dict[str, Any] = {"schemaVersion": 2, "mediaType": media_type}
    if artifact_type is not None:
        document["artifactType"] = artifact_type
    document["config"] = _descriptor(config_type, config)
    document["layers"] = [_descriptor(layer_type, layer) for layer in layers]
    return GeneratedManifest(media_type, json.dumps(document, indent=2), (config, *layers))


@st.composite
def _manifest(draw: Callable[..., Any], kinds: Sequence[str]) -> GeneratedManifest:
    kind = draw(st.sampled_from(list(kinds)))
    layers = draw(_layer_blobs)
    if kind == "artifact":
        return _image_manifest("oci", "", layers, draw(st.sampled_from(_ARTIFACT_TYPES)))
    if kind in ("docker", "oci"):
        return _image_manifest(kind, draw(st.sampled_from(_PLATFORMS)), layers, None)
    child_kind = "docker" if kind == "docker-list" else "oci"
    platforms = draw(st.lists(st.sampled_from(_PLATFORMS), min_size=1, max_size=3, unique=True))
    children = tuple(_image_manifest(child_kind, platform, layers, None) for platform in platforms)
    media_type = manifests.DOCKER_MANIFEST_LIST if kind == "docker-list" else manifests.OCI_INDEX
    entries = []
    for platform, child in zip(platforms, children):
        os_name, _, architecture = platform.partition("/")
        entries.append(
            {
                **_descriptor(child.media_type, child.manifest.encode("utf-8")),
                "platform": {"architecture": architecture, "os": os_name},
            }
        )
    document = {"schemaVersion": 2, "mediaType": media_type, "manifests": entries}
    return GeneratedManifest(media_type, json.dumps(document, indent=2), (), children)


def image_manifests(kinds: Sequence[str] = IMAGE_KINDS) -> st.SearchStrategy[GeneratedManifest]:
    """Manifests of the given ``kinds`` with their blobs (and, for an index, its platform
    manifests): for code that uploads layers and calls PutImage itself. Use
    :func:`image_pushes` to push through :func:`fake_ecr.push_image` instead."""
    unknown = set(kinds) - set(IMAGE_KINDS)
    if unknown or not kinds:
        raise ValueError(f"kinds must be taken from {IMAGE_KINDS}, not {sorted(unknown) or kinds}")
    return _manifest(kinds)


# -- lifecycle policies ----------------------------------------------------------------------------

_PREFIXES = st.text(st.sampled_from("abcdefghijklmnopqrstuvwxyz0123456789.-_"), min_size=1, max_size=8)
_PATTERN_PARTS = st.lists(st.one_of(_PREFIXES, st.just("*")), min_size=1, max_size=4).map("".join)
_WILDCARD_PATTERNS = _PATTERN_PARTS.filter(lambda p: p.count("*") <= lifecycle.MAX_WILDCARDS_PER_PATTERN)
_POLICY_MIN = int(_constraints("ecr", "LifecyclePolicyText")["min"])
_POLICY_MAX = int(_constraints("ecr", "LifecyclePolicyText")["max"])


@st.composite
def _standard_rule(draw: Callable[..., Any], tag_status: str) -> dict[str, Any]:
    selection: dict[str, Any] = {"tagStatus": tag_status}
    if tag_status == lifecycle.TAGGED:
        if draw(st.booleans()):
            selection["tagPrefixList"] = draw(st.lists(_PREFIXES, min_size=1, max_size=3, unique=True))
        else:
            selection["tagPatternList"] = draw(st.lists(_WILDCARD_PATTERNS, min_size=1, max_size=3, unique=True))
    count_type = draw(
        st.sampled_from([lifecycle.IMAGE_COUNT_MORE_THAN, lifecycle.SINCE_IMAGE_PUSHED, lifecycle.SINCE_IMAGE_PULLED])
    )
    selection["countType"] = count_type
    if count_type != lifecycle.IMAGE_COUNT_MORE_THAN:
        selection["countUnit"] = "days"
    selection["countNumber"] = draw(st.integers(1, 1000))
    if draw(st.integers(0, 3)) == 0:
        action: dict[str, Any] = {"type": lifecycle.TRANSITION, "targetStorageClass": lifecycle.ARCHIVE}
    else:
        action = {"type": lifecycle.EXPIRE}
    return {"selection": selection, "action": action}


@st.composite
def _archive_rule(draw: Callable[..., Any], tag_status: str) -> dict[str, Any]:
    rule: dict[str, Any] = draw(_standard_rule(tag_status))
    rule["selection"].update(
        storageClass=lifecycle.ARCHIVE,
        countType=lifecycle.SINCE_IMAGE_TRANSITIONED,
        countUnit="days",
        countNumber=draw(st.integers(lifecycle.MIN_ARCHIVE_DAYS, 3650)),
    )
    rule["action"] = {"type": lifecycle.EXPIRE}
    return rule


@st.composite
def _storage_class_rules(draw: Callable[..., Any], archive: bool) -> list[dict[str, Any]]:
    """The rules of one storage class: tagged ones, at most one untagged, at most one ``any``."""
    make = _archive_rule if archive else _standard_rule
    rules = draw(st.lists(make(lifecycle.TAGGED), max_size=3))
    if draw(st.booleans()):
        rules.append(draw(make(lifecycle.UNTAGGED)))
    rules = draw(st.permutations(rules))
    if draw(st.integers(0, 3)) == 0:
        rules.append(draw(make(lifecycle.ANY)))  # tagStatus=any must come last in its class
    return list(rules)


def _policy_text(document: dict[str, Any], spacing: bool) -> str:
    text = json.dumps(document, indent=2 if spacing else None)
    return text.ljust(_POLICY_MIN)  # the model's minimum length; JSON ignores the trailing blanks


@st.composite
def _lifecycle_document(draw: Callable[..., Any], max_rules: int) -> dict[str, Any]:
    standard = draw(_storage_class_rules(archive=False))
    archive = draw(_storage_class_rules(archive=True)) if draw(st.booleans()) else []
    if not standard and not archive:
        standard = [draw(_standard_rule(lifecycle.UNTAGGED))]
    standard, archive = standard[:max_rules], archive[: max(0, max_rules - len(standard))]
    priorities = sorted(
        draw(
            st.lists(
                st.integers(1, 1000),
                min_size=len(standard) + len(archive),
                max_size=len(standard) + len(archive),
                unique=True,
            )
        )
    )
    # Each class keeps its own order (its ``any`` rule last): interleave the two classes.
    picks = draw(st.permutations([0] * len(standard) + [1] * len(archive)))
    queues = [list(standard), list(archive)]
    rules = []
    for priority, which in zip(priorities, picks):
        rule = queues[which].pop(0)
        entry: dict[str, Any] = {"rulePriority": priority}
        if draw(st.booleans()):
            entry["description"] = draw(st.text(max_size=30))
        entry.update(rule)
        rules.append(entry)
    return {"rules": draw(st.permutations(rules))}


def lifecycle_policies(*, max_rules: int = 6) -> st.SearchStrategy[str]:
    """``lifecyclePolicyText`` values PutLifecyclePolicy accepts, with up to ``max_rules`` rules.

    They cover every rule the user guide describes: ``tagged`` rules with prefixes or wildcard
    patterns, ``untagged`` and ``any`` rules, count and age limits, expiry and transition to the
    archive, and archive-class rules; priorities are unique, one untagged rule at most per storage
    class, and the ``any`` rule of a class has its highest priority. Parse one with ``json.loads``
    to read its rules.
    """
    if max_rules < 1:
        raise ValueError("max_rules must be at least 1")
    return st.builds(_policy_text, _lifecycle_document(max_rules), st.booleans()).filter(
        lambda text: len(text) <= _POLICY_MAX
    )


def _break_rule(kind: str) -> Callable[[dict[str, Any]], dict[str, Any]]:
    def breaker(document: dict[str, Any]) -> dict[str, Any]:
        rules = json.loads(json.dumps(document["rules"]))
        first = rules[0]
        if kind == "priority":
            first["rulePriority"] = 0
        elif kind == "count":
            first["selection"]["countNumber"] = 0
        elif kind == "duplicate":
            rules.append(json.loads(json.dumps(first)))
        elif kind == "unknown-key":
            first["selection"]["imageAgeLimit"] = 1
        elif kind == "tagged-without-lists":
            first["selection"]["tagStatus"] = lifecycle.TAGGED
            first["selection"].pop("tagPrefixList", None)
            first["selection"].pop("tagPatternList", None)
        elif kind == "count-unit":
            first["selection"].update(countType=lifecycle.IMAGE_COUNT_MORE_THAN, countUnit="days")
        elif kind == "tag-status":
            first["selection"]["tagStatus"] = "sometimes"
        elif kind == "transition-without-target":
            first["action"] = {"type": lifecycle.TRANSITION}
        elif kind == "no-rules":
            rules = []
        return {"rules": rules}

    return breaker


_BREAKS = (
    "priority",
    "count",
    "duplicate",
    "unknown-key",
    "tagged-without-lists",
    "count-unit",
    "tag-status",
    "transition-without-target",
    "no-rules",
)


def invalid_lifecycle_policies() -> st.SearchStrategy[str]:
    """``lifecyclePolicyText`` values PutLifecyclePolicy refuses: a valid policy with one thing
    broken (a zero priority or count, a duplicate priority, an unknown key, a tagged rule without
    tag lists, a count unit on a count rule, an unknown tag status, a transition without its
    target, no rules), or text that is not a policy at all."""
    broken = st.builds(
        lambda document, kind: _policy_text(_break_rule(kind)(document), False),
        _lifecycle_document(3),
        st.sampled_from(_BREAKS),
    )
    not_a_policy = st.one_of(
        st.text(max_size=120),
        st.builds(lambda text: text[: len(text) // 2].ljust(_POLICY_MIN), lifecycle_policies(max_rules=2)),
        st.just(json.dumps({"rules": "none"}).ljust(_POLICY_MIN)),
    )
    return st.one_of(broken, not_a_policy)


# -- repository policies ---------------------------------------------------------------------------

_POLICY_TEXT_MAX = int(_constraints("ecr", "RepositoryPolicyText")["max"])
_ACCOUNT_IDS = st.from_regex(re.compile(r"[0-9]{12}"), fullmatch=True)
_PRINCIPALS = st.one_of(
    st.just("*"),
    st.builds(
        lambda ids: {"AWS": [f"arn:aws:iam::{i}:root" for i in ids]},
        st.lists(_ACCOUNT_IDS, min_size=1, max_size=3, unique=True),
    ),
    st.builds(
        lambda account, role: {"AWS": f"arn:aws:iam::{account}:role/{role}"},
        _ACCOUNT_IDS,
        st.from_regex(re.compile(r"[A-Za-z][A-Za-z0-9_-]{0,20}"), fullmatch=True),
    ),
    st.just({"Service": "codebuild.amazonaws.com"}),
)


def _actions(service: str) -> st.SearchStrategy[Any]:
    names = [f"{service}:{name}" for name in operation_names(service)]
    one = st.one_of(st.sampled_from(names), st.just(f"{service}:*"), st.just(f"{service}:Batch*"))
    return st.one_of(one, st.lists(one, min_size=1, max_size=5, unique=True), st.just("*"))


@st.composite
def _policy_document(draw: Callable[..., Any], service: str) -> dict[str, Any]:
    statements = []
    for number in range(draw(st.integers(1, 3))):
        statement: dict[str, Any] = {}
        if draw(st.booleans()):
            statement["Sid"] = f"Statement{number}"
        statement["Effect"] = draw(st.sampled_from(["Allow", "Deny"]))
        statement["NotPrincipal" if draw(st.integers(0, 5)) == 0 else "Principal"] = draw(_PRINCIPALS)
        statement["NotAction" if draw(st.integers(0, 5)) == 0 else "Action"] = draw(_actions(service))
        if draw(st.integers(0, 3)) == 0:
            statement["Condition"] = {"StringEquals": {"aws:PrincipalOrgID": "o-exampleorgid"}}
        statements.append(statement)
    document: dict[str, Any] = {}
    version = draw(st.sampled_from(["2012-10-17", "2008-10-17", None]))
    if version is not None:
        document["Version"] = version
    document["Statement"] = statements
    return document


def repository_policies(service: str = "ecr") -> st.SearchStrategy[str]:
    """``policyText`` values SetRepositoryPolicy of ``service`` accepts: one to three statements
    granting or denying that service's actions to accounts, roles, services or everyone."""
    _check_service(service)
    return (
        _policy_document(service)
        .map(lambda doc: json.dumps(doc, indent=2))
        .filter(lambda text: len(text) <= _POLICY_TEXT_MAX)
    )


def _break_policy(service: str, kind: str, document: dict[str, Any]) -> str:
    document = json.loads(json.dumps(document))
    first = document["Statement"][0]
    if kind == "effect":
        first["Effect"] = "Maybe"
    elif kind == "no-principal":
        first.pop("Principal", None)
        first.pop("NotPrincipal", None)
    elif kind == "other-service":
        first.pop("NotAction", None)
        first["Action"] = ["s3:GetObject"]
    elif kind == "resource":
        first["Resource"] = "*"
    elif kind == "no-statement":
        document["Statement"] = []
    elif kind == "version":
        document["Version"] = "2024-01-01"
    elif kind == "unknown-key":
        document["Statements"] = document.pop("Statement")
    return json.dumps(document)


def invalid_repository_policies(service: str = "ecr") -> st.SearchStrategy[str]:
    """``policyText`` values SetRepositoryPolicy of ``service`` refuses: a valid policy with one
    thing broken (an unknown effect, no principal, another service's action, a ``Resource``, no
    statement, an unknown version or member), or text that is not JSON."""
    _check_service(service)
    kinds = st.sampled_from(
        ["effect", "no-principal", "other-service", "resource", "no-statement", "version", "unknown-key"]
    )
    broken = st.builds(lambda kind, doc: _break_policy(service, kind, doc), kinds, _policy_document(service))
    return st.one_of(broken, st.sampled_from(["", "{", "[]", "null", '{"Statement": "all"}']))
