"""The registry half of ECR: an OCI Distribution endpoint on 127.0.0.1 sharing the fake's state.

``fake.registry_endpoint`` starts it (see docs/registry.md). The protocol lives in protocol.py,
addressing and credentials in access.py, and every access to the fake in api_adapter.py.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Optional

from fake_ecr.endpoints.http_server import HOST, LoopbackServer
from fake_ecr.endpoints.registry.api_adapter import ECRAdapter
from fake_ecr.endpoints.registry.protocol import RegistryApp, is_registry_path
from fake_ecr.endpoints.registry.uris import local_uris
from fake_ecr.endpoints.tls import Certificates

if TYPE_CHECKING:
    from fake_ecr.core.serving import Server

__all__ = ["RegistryEndpoint"]


class RegistryEndpoint:
    """The running registry endpoint: its address, and references container tools can use."""

    def __init__(self, fake_server: Server, server: Optional[LoopbackServer] = None, *, tls: bool = False) -> None:
        if tls and server is not None:
            raise ValueError("tls applies to the endpoint's own server; configure a shared server itself")
        self._adapter = ECRAdapter(fake_server)
        self._certificates = Certificates() if tls else None
        self._owns_server = server is None
        if server is None:
            server = LoopbackServer(tls=self._certificates.context if self._certificates else None)
        self._server = server
        self._server.mount(is_registry_path, RegistryApp(self._adapter))

    def start(self) -> RegistryEndpoint:
        self._server.start()
        return self

    def stop(self) -> None:
        if self._owns_server:
            self._server.stop()
        if self._certificates is not None:
            self._certificates.remove()

    @property
    def running(self) -> bool:
        return self._server.running

    @property
    def host(self) -> str:
        return HOST

    @property
    def port(self) -> int:
        return self._server.port

    @property
    def address(self) -> str:
        """``127.0.0.1:PORT``: the registry host to give ``docker login``, skopeo, oras."""
        return self._server.address

    @property
    def url(self) -> str:
        return f"{self._server.scheme}://{self.address}"

    @property
    def tls(self) -> bool:
        return self._certificates is not None

    @property
    def ca_file(self) -> Optional[str]:
        """In TLS mode, the throwaway CA's certificate (PEM file) clients must trust; else None."""
        return self._certificates.ca_file if self._certificates else None

    @property
    def cert_dir(self) -> Optional[str]:
        """In TLS mode, a directory holding ``ca.crt`` (skopeo's ``--cert-dir``); else None."""
        return self._certificates.cert_dir if self._certificates else None

    def reference(
        self,
        repository: str,
        tag: Optional[str] = None,
        *,
        digest: Optional[str] = None,
        registry: Optional[str] = None,
    ) -> str:
        """An image reference on this endpoint, e.g. ``127.0.0.1:PORT/app:v1``.

        ``registry`` prefixes the repository with a registry's AWS host
        (``<account>.dkr.ecr.<region>.amazonaws.com`` or ``public.ecr.aws/<alias>``) to address
        a registry other than the one the client's token was issued for.
        """
        path = f"{registry}/{repository}" if registry else repository
        suffix = f"@{digest}" if digest else (f":{tag}" if tag else "")
        return f"{self.address}/{path}{suffix}"

    def local_uris(self, result: dict[str, Any]) -> dict[str, Any]:
        """An API response body whose registry URIs name this endpoint (the opt-in URI mode)."""
        rewritten: dict[str, Any] = local_uris(result, self.address, self.url)
        return rewritten

    def __repr__(self) -> str:
        return f"<RegistryEndpoint {self.url if self.running else 'stopped'}>"
