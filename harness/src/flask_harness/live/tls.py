"""HTTPS for the live server: a certificate made for the worker, trusted by its browser and nothing else.

trustme makes a throwaway certificate authority and a certificate for the live server's hosts.
Chromium trusts exactly that certificate, by its key (``--ignore-certificate-errors-spki-list``,
the switch Chrome's own page-replay tools use): the page is a secure context, ``Secure`` cookies
are kept and sent, and a certificate the run did not make is still refused. Python clients verify
it against ``ca_file`` (``requests.get(live.url, verify=live.ca_file)``).
"""

from __future__ import annotations

import base64
import hashlib
import ssl
from dataclasses import dataclass
from pathlib import Path

import pytest


@dataclass(frozen=True)
class LiveCertificate:
    """The worker's certificate: the server's SSL context, the CA's PEM file, the key's pin."""

    ssl_context: ssl.SSLContext
    ca_file: Path
    spki_pin: str

    @property
    def chromium_args(self) -> list[str]:
        """What makes Chromium trust this certificate, and only this one."""
        return [f"--ignore-certificate-errors-spki-list={self.spki_pin}"]


def make_certificate(folder: Path, hosts: list[str]) -> LiveCertificate:
    """A new CA and a certificate for ``hosts``; the CA's PEM is written to ``folder``."""
    try:
        import trustme
        from cryptography import x509
        from cryptography.hazmat.primitives import serialization
    except ImportError:
        raise pytest.UsageError("live_server_scheme = \"https\" needs trustme: "
                                "pip install 'pytest-flask-harness[https]'") from None
    authority = trustme.CA(organization_name="flask-harness live server")
    issued = authority.issue_cert(*dict.fromkeys(hosts))
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    issued.configure_cert(context)
    folder.mkdir(parents=True, exist_ok=True)
    ca_file = folder / "live-server-ca.pem"
    authority.cert_pem.write_to_path(str(ca_file))
    leaf = x509.load_pem_x509_certificate(issued.cert_chain_pems[0].bytes())
    key = leaf.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    return LiveCertificate(context, ca_file, base64.b64encode(hashlib.sha256(key).digest()).decode())
