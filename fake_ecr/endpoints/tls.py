"""A throwaway certificate authority for the endpoints' TLS mode (made with ``trustme``).

Some tools insist on HTTPS (python-dxf, docker without ``--insecure``). The CA lives only as long
as the endpoint; its certificate is written to a temporary directory laid out as skopeo's
``--cert-dir`` (and docker's ``certs.d/<host>``) expects: ``ca.crt``.
"""

from __future__ import annotations

import shutil
import ssl
import tempfile
from pathlib import Path

from fake_ecr.endpoints.http_server import HOST
from fake_ecr.errors import FakeECRError


class Certificates:
    """A CA, a server certificate for 127.0.0.1 and localhost, and the files clients need."""

    def __init__(self) -> None:
        try:
            import trustme
        except ImportError:
            raise FakeECRError("the TLS mode of fake_ecr's endpoints needs trustme: pip install trustme") from None
        authority = trustme.CA()
        certificate = authority.issue_cert(HOST, "localhost")
        self.context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        certificate.configure_cert(self.context)
        self.directory = Path(tempfile.mkdtemp(prefix="fake_ecr-tls-"))
        authority.cert_pem.write_to_path(str(self.directory / "ca.crt"))

    @property
    def ca_file(self) -> str:
        """The CA certificate (PEM): ``SSL_CERT_FILE`` for Go tools, ``verify=`` for requests."""
        return str(self.directory / "ca.crt")

    @property
    def cert_dir(self) -> str:
        """A directory holding ``ca.crt``: skopeo's ``--cert-dir``/``--dest-cert-dir``."""
        return str(self.directory)

    def remove(self) -> None:
        shutil.rmtree(self.directory, ignore_errors=True)
