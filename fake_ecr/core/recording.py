"""The call log: every call a fake served, for tests to assert on (``fake.calls``, ``get_calls``)."""

from __future__ import annotations

import hashlib
from typing import Any, Optional, Union

from fake_ecr.errors import FakeECRError


class RecordedBlob:
    """What the call log keeps of a blob parameter (``layerPartBlob``): its size and digest.

    The log never keeps uploaded bytes, so pushing a large layer does not cost its size twice.
    It compares equal to the bytes it summarizes, so ``fake.get_calls(layerPartBlob=data)``
    still matches.
    """

    __slots__ = ("size", "digest")

    def __init__(self, data: bytes) -> None:
        self.size = len(data)
        self.digest = "sha256:" + hashlib.sha256(data).hexdigest()

    def __eq__(self, other: object) -> bool:
        if isinstance(other, RecordedBlob):
            return (self.size, self.digest) == (other.size, other.digest)
        if isinstance(other, (bytes, bytearray, memoryview)):
            data = bytes(other)
            return len(data) == self.size and "sha256:" + hashlib.sha256(data).hexdigest() == self.digest
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self.digest)

    def __len__(self) -> int:
        return self.size

    def __repr__(self) -> str:
        return f"<RecordedBlob {self.size} bytes {self.digest[:19]}>"


def without_blobs(value: Any) -> Any:
    """``value`` with every ``bytes`` replaced by a :class:`RecordedBlob` (copies only what changes)."""
    if isinstance(value, (bytes, bytearray)):
        return RecordedBlob(bytes(value))
    if isinstance(value, dict):
        changed = {k: without_blobs(v) for k, v in value.items()}
        return value if all(changed[k] is value[k] for k in value) else changed
    if isinstance(value, list):
        items = [without_blobs(v) for v in value]
        return value if all(a is b for a, b in zip(items, value)) else items
    return value


class RecordedCall:
    """One call served by the fake: what was asked and what came back.

    ``params`` is the request as the service received it, except that blobs (``layerPartBlob``,
    ``logoImageBlob``) are kept as a :class:`RecordedBlob` (size and digest), not as bytes (the
    server passes ``may_hold_blobs=False`` for requests whose shape has no blob, which are kept
    as they are);
    ``response`` the parsed body returned (None on error), kept for the most recent calls only
    (see :class:`CallLog`); ``error`` the :class:`~fake_ecr.errors.ServiceError` (its ``code`` and
    ``message``) or :class:`~fake_ecr.UnsupportedOperation`.
    """

    __slots__ = ("service", "operation", "region", "params", "_response", "error")

    def __init__(
        self,
        service: str,
        operation: str,
        region: str,
        params: Optional[dict[str, Any]],
        response: Optional[dict[str, Any]],
        error: Optional[BaseException],
        may_hold_blobs: bool = True,
    ) -> None:
        self.service = service
        self.operation = operation
        self.region = region
        self.params = without_blobs(params) if may_hold_blobs else params
        self._response: Union[dict[str, Any], None, ForgottenResponse] = response
        self.error = error

    @property
    def response(self) -> Optional[dict[str, Any]]:
        response = self._response
        if isinstance(response, ForgottenResponse):
            raise FakeECRError(
                f"fake_ecr's call log no longer keeps the response of this {self.operation} call: it "
                f"keeps the responses of the last {response.kept} calls (params and errors of "
                "every call it keeps); make the fake with a larger call_log_responses (0 keeps every response)"
            )
        return response

    @property
    def access_decision(self) -> Any:
        """When access control refused the call: the decision, with the statements considered
        and why it fell as it did (``None`` otherwise)."""
        return getattr(self.error, "decision", None)

    def __repr__(self) -> str:
        error = self.error
        outcome = "ok" if error is None else getattr(error, "code", type(error).__name__)
        return f"<RecordedCall {self.service}.{self.operation} {self.region} {outcome}>"


class ForgottenResponse:
    """Where a recorded call's response was, once the call log stopped keeping it."""

    __slots__ = ("kept",)

    def __init__(self, kept: int) -> None:
        self.kept = kept


class CallLog(list[RecordedCall]):
    """The recorded calls, oldest first, forgetting the oldest beyond ``limit`` (0: keep all), and
    the responses of all but the last ``responses`` of them (0: keep every response).

    A test that seeds thousands of images through the API would otherwise hold a record of every
    call for as long as its fake lives. ``forgotten`` counts the calls dropped since the log was
    last cleared, so that assertions that need every call can refuse rather than count wrong.
    Responses are what a record weighs most (a page of 100 image details is some 200 objects),
    and assertions on them read the last few calls: kept for every call, they hold the
    garbage collector's attention and push each call's allocations into cold memory.
    """

    def __init__(self, limit: int = 0, responses: int = 0) -> None:
        super().__init__()
        self.limit = limit
        self.responses = responses
        self.forgotten = 0
        self._forgotten_response = ForgottenResponse(responses)

    def append(self, call: RecordedCall) -> None:
        list.append(self, call)
        count = len(self)
        responses = self.responses
        if count > responses > 0:
            self[count - 1 - responses]._response = self._forgotten_response
        if count > self.limit > 0:
            del self[0]  # a move of ``limit`` pointers: cheap beside a call
            self.forgotten += 1

    def clear(self) -> None:
        super().clear()
        self.forgotten = 0
