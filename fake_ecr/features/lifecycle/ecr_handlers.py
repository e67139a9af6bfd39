"""ECR lifecycle policies: Put/Get/DeleteLifecyclePolicy, Start/GetLifecyclePolicyPreview."""

from __future__ import annotations

import copy
from typing import Any, Optional

from fake_ecr.core import pagination
from fake_ecr.core.call import Call
from fake_ecr.core.operations import OperationTable
from fake_ecr.errors import ServiceError, invalid_parameter, missing_in_repository
from fake_ecr.features.images.image_ids import resolve
from fake_ecr.features.lifecycle.engine import Outcome
from fake_ecr.features.lifecycle.expiry import plan
from fake_ecr.features.lifecycle.rules import parse_lifecycle_policy
from fake_ecr.features.lifecycle.store import COMPLETE, Preview, lifecycle_state, saved_policy
from fake_ecr.model import Repository

operations = OperationTable()

PREVIEW_MAX_RESULTS = 100


def _repository(call: Call, params: dict[str, Any]) -> Repository:
    return call.registry(params.get("registryId")).repository(params["repositoryName"])


def _policy_result(call: Call, repo: Repository, text: str, with_evaluation: bool) -> dict[str, Any]:
    result: dict[str, Any] = {
        "registryId": repo.registry_id,
        "repositoryName": repo.name,
        "lifecyclePolicyText": text,
    }
    if with_evaluation:
        # Get and Delete always answer with it: epoch 0 while the policy has never been evaluated
        # (aws-cli's delete-lifecycle-policy example shows "lastEvaluatedAt": 0.0).
        evaluated = lifecycle_state(repo).last_evaluated_at
        result["lastEvaluatedAt"] = call.timestamp(evaluated if evaluated is not None else 0.0)
    return result


@operations.serves("ecr", "PutLifecyclePolicy")
def put_lifecycle_policy(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    repo = _repository(call, params)
    policy = parse_lifecycle_policy(params["lifecyclePolicyText"])
    lifecycle_state(repo).policy = policy
    return _policy_result(call, repo, policy.text, with_evaluation=False)


@operations.serves("ecr", "GetLifecyclePolicy")
def get_lifecycle_policy(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    repo = _repository(call, params)
    return _policy_result(call, repo, saved_policy(repo).text, with_evaluation=True)


@operations.serves("ecr", "DeleteLifecyclePolicy")
def delete_lifecycle_policy(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    repo = _repository(call, params)
    policy = saved_policy(repo)
    result = _policy_result(call, repo, policy.text, with_evaluation=True)
    lifecycle_state(repo).policy = None
    return result


@operations.serves("ecr", "StartLifecyclePolicyPreview")
def start_lifecycle_policy_preview(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    repo = _repository(call, params)
    text = params.get("lifecyclePolicyText")
    # "If you do not specify a policy, the current policy for the repository is used."
    policy = parse_lifecycle_policy(text) if text is not None else saved_policy(repo)
    state = lifecycle_state(repo)
    if state.preview is not None and state.preview.status != COMPLETE:
        raise ServiceError(
            "LifecyclePolicyPreviewInProgressException",
            "The previous lifecycle policy preview request has not completed. Wait and try again.",
        )
    preview = Preview(call.backend.next_seq(), policy.text, plan(call, repo, policy))
    state.preview = preview
    return {
        "registryId": repo.registry_id,
        "repositoryName": repo.name,
        "lifecyclePolicyText": preview.policy_text,
        "status": preview.status,
    }


def _preview(repo: Repository) -> Preview:
    preview = lifecycle_state(repo).preview
    if preview is None:
        raise missing_in_repository(
            "LifecyclePolicyPreviewNotFoundException", "Lifecycle policy preview", repo.name, repo.registry_id
        )
    return preview


def _result_view(call: Call, outcome: Outcome) -> dict[str, Any]:
    action: dict[str, Any] = {"type": outcome.action}
    if outcome.target_storage_class:
        action["targetStorageClass"] = outcome.target_storage_class
    view: dict[str, Any] = {
        "imageDigest": outcome.digest,
        "imagePushedAt": call.timestamp(outcome.pushed_at),
        "action": action,
        "appliedRulePriority": outcome.rule_priority,
        "storageClass": outcome.storage_class,
    }
    if outcome.tags:
        view["imageTags"] = list(outcome.tags)
    return view


def _summary(outcomes: list[Outcome]) -> dict[str, Any]:
    summary: dict[str, Any] = {"expiringImageTotalCount": sum(o.action == "EXPIRE" for o in outcomes)}
    transitioning = sum(o.action == "TRANSITION" for o in outcomes)
    if transitioning:
        summary["transitioningImageTotalCounts"] = [{"targetStorageClass": "ARCHIVE", "imageTotalCount": transitioning}]
    return summary


def _wanted(repo: Repository, preview: Preview, params: dict[str, Any]) -> list[Outcome]:
    """The preview's results a request asks for. A preview never changes once made, so the list
    for each tagStatus filter is made once and every later page is a slice of it (O(page))."""
    status = (params.get("filter") or {}).get("tagStatus")
    outcomes = preview.filtered.get(status)
    if outcomes is None:
        outcomes = preview.outcomes
        if status == "TAGGED":
            outcomes = [o for o in outcomes if o.tags]
        elif status == "UNTAGGED":
            outcomes = [o for o in outcomes if not o.tags]
        preview.filtered[status] = outcomes
    image_ids = params.get("imageIds")
    if image_ids is not None:
        digests = {_preview_digest(repo, outcomes, image_id) for image_id in image_ids}
        outcomes = [o for o in outcomes if o.digest in digests]
    return outcomes


def _preview_digest(repo: Repository, outcomes: list[Outcome], image_id: dict[str, Any]) -> Optional[str]:
    """The digest an imageIds entry names: in the preview (images may be gone since) or the repository."""
    digest, tag = image_id.get("imageDigest"), image_id.get("imageTag")
    if digest is not None:
        return str(digest)
    for outcome in outcomes:
        if tag in outcome.tags:
            return outcome.digest
    image = resolve(repo, image_id).image
    return image.digest if image is not None else None


@operations.serves("ecr", "GetLifecyclePolicyPreview")
def get_lifecycle_policy_preview(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    repo = _repository(call, params)
    limit = pagination.page_size(params)
    if limit > PREVIEW_MAX_RESULTS:
        raise invalid_parameter("maxResults", f"Member must have value less than or equal to {PREVIEW_MAX_RESULTS}")
    preview = _preview(repo)
    preview.status = COMPLETE
    outcomes = _wanted(repo, preview, params)
    status = (params.get("filter") or {}).get("tagStatus")
    scope = f"GetLifecyclePolicyPreview:{repo.registry_id}:{call.region}:{repo.name}:{preview.preview_id}:{status}"
    page, next_token = pagination.page_of_list(outcomes, params, scope)
    result: dict[str, Any] = {
        "registryId": repo.registry_id,
        "repositoryName": repo.name,
        "lifecyclePolicyText": preview.policy_text,
        "status": preview.status,
        "previewResults": [_result_view(call, o) for o in page],
        "summary": copy.deepcopy(preview.summary(_summary)),
    }
    if next_token is not None:
        result["nextToken"] = next_token
    return result
