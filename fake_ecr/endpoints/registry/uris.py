"""The opt-in URI mode: API responses name the local registry endpoint instead of AWS hosts.

With it, code that derives image references from the API (``repositoryUri``) and logs in where
GetAuthorizationToken says (``proxyEndpoint``) talks to the fake unchanged. The AWS host stays in
the path, which is how the endpoint tells registries apart (see access.py):

* ``repositoryUri`` ``<account>.dkr.ecr.<region>.amazonaws.com/app``
  becomes ``127.0.0.1:PORT/<account>.dkr.ecr.<region>.amazonaws.com/app``;
* ECR Public's ``public.ecr.aws/<alias>/app`` and ``registryUri`` likewise get the prefix;
* ``proxyEndpoint`` ``https://<account>.dkr.ecr.<region>.amazonaws.com`` becomes
  ``http://127.0.0.1:PORT`` (``https://`` in TLS mode).
"""

from __future__ import annotations

from typing import Any

_URI_KEYS = frozenset({"repositoryUri", "registryUri"})
_ENDPOINT_KEYS = frozenset({"proxyEndpoint"})


def local_uris(result: Any, address: str, url: str) -> Any:
    """A copy of a response body with its registry URIs pointing at ``address``/``url``."""
    if isinstance(result, dict):
        return {key: _rewrite(key, value, address, url) for key, value in result.items()}
    if isinstance(result, list):
        return [local_uris(item, address, url) for item in result]
    return result


def _rewrite(key: str, value: Any, address: str, url: str) -> Any:
    if isinstance(value, str):
        if key in _URI_KEYS and not value.startswith(address + "/"):
            return f"{address}/{value}"
        if key in _ENDPOINT_KEYS:
            return url
        return value
    return local_uris(value, address, url)
