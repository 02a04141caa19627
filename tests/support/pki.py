"""A throwaway certificate authority for local TLS servers and token signing.

One CA per test object: it signs the HTTPS certificates of the local servers
(clients trust ``ca_path``) and the certificate of the token-signing key (the
registry trusts it as ``rootcertbundle``).
"""

from __future__ import annotations

import base64
from pathlib import Path

import trustme
from cryptography import x509
from cryptography.hazmat.primitives import serialization


class TestCA:
    __test__ = False  # not a pytest test class, despite the name

    def __init__(self) -> None:
        # RSA because the token server signs RS256 with a key issued here.
        self.ca = trustme.CA(key_type=trustme.KeyType.RSA)

    @property
    def cert_pem(self) -> bytes:
        return self.ca.cert_pem.bytes()

    def write_ca(self, path: Path) -> Path:
        path.write_bytes(self.cert_pem)
        return path

    def server_cert(self, directory: Path, host: str = "127.0.0.1") -> tuple[Path, Path]:
        """Write (certificate chain, key) PEM files for an HTTPS server on `host`."""
        leaf = self.ca.issue_cert(host)
        cert = directory / f"{host}.crt"
        key = directory / f"{host}.key"
        cert.write_bytes(b"".join(p.bytes() for p in leaf.cert_chain_pems))
        key.write_bytes(leaf.private_key_pem.bytes())
        key.chmod(0o600)
        return cert, key

    def configure_server(self, ssl_context, host: str = "127.0.0.1") -> None:
        """Load a certificate for `host` into an ``ssl.SSLContext``."""
        self.ca.issue_cert(host).configure_cert(ssl_context)

    def signing_key(self, name: str = "token-signer") -> tuple[bytes, list[str]]:
        """(private key PEM, x5c chain) for signing JWTs that chain to this CA.

        x5c entries are base64 (not URL-safe) DER, leaf first, as RFC 7515
        requires; distribution verifies the chain against `rootcertbundle`.
        """
        leaf = self.ca.issue_cert(name, key_type=trustme.KeyType.RSA)
        x5c = []
        for pem in leaf.cert_chain_pems:
            der = x509.load_pem_x509_certificate(pem.bytes()).public_bytes(
                serialization.Encoding.DER
            )
            x5c.append(base64.b64encode(der).decode())
        return leaf.private_key_pem.bytes(), x5c
