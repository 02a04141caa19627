"""Where credentials come from: the credential source a provider reads.

Credentials never come from values or from the command line (where `ps` shows
them).  A :class:`CredentialSource` reads named keys from one of:

* a directory holding one file per key, which is how Kubernetes mounts the
  Secret named by ``registry.credentials.existingSecret`` into the hook's pod;
* a YAML/JSON file of ``key: value`` (``--credentials FILE``), handy locally;
* environment variables ``REGISTRY_<KEY>`` (``username`` -> ``REGISTRY_USERNAME``).
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Literal, overload

from binderhub_registry_hook.errors import CredentialsMissing, InputError
from binderhub_registry_hook.localfiles import read_text
from binderhub_registry_hook.secrets import Secret
from binderhub_registry_hook.spec import parse_yaml

ENV_PREFIX = "REGISTRY_"
MAX_KEY_BYTES = 64 * 1024
MAX_FILE_BYTES = 256 * 1024  # a credentials file of key: value (a Google key is ~2.4 kB)


def env_name(key: str) -> str:
    return ENV_PREFIX + re.sub(r"[^A-Za-z0-9]", "_", key).upper()


class CredentialSource:
    """Named secret values, read lazily, each wrapped in a :class:`Secret`."""

    def __init__(self, path: Path | None = None, environ: Mapping[str, str] | None = None):
        self.path = path
        self.environ: Mapping[str, str] = os.environ if environ is None else environ
        self._file: dict[str, str] | None = None

    def describe(self) -> str:
        if self.path is None:
            return f"environment variables {ENV_PREFIX}*"
        kind = "directory" if self.path.is_dir() else "file"
        return f"credentials {kind} {self.path}"

    def where(self, key: str) -> str:
        if self.path is None:
            return f"environment variable {env_name(key)}"
        if self.path.is_dir():
            return f"file {self.path / key}"
        return f"key {key!r} in {self.path}"

    @overload
    def get(
        self, key: str, *, required: Literal[True] = ..., value_path: str | None = ..., secret: Literal[True] = ...
    ) -> Secret: ...
    @overload
    def get(
        self, key: str, *, required: Literal[True] = ..., value_path: str | None = ..., secret: Literal[False]
    ) -> str: ...
    @overload
    def get(
        self, key: str, *, required: bool, value_path: str | None = ..., secret: Literal[True] = ...
    ) -> Secret | None: ...
    @overload
    def get(self, key: str, *, required: bool, value_path: str | None = ..., secret: Literal[False]) -> str | None: ...

    def get(
        self, key: str, *, required: bool = True, value_path: str | None = None, secret: bool = True
    ) -> Secret | str | None:
        """The value of ``key``: a :class:`Secret`, or a plain str for ``secret=False``
        (usernames, ids: values that are fine to show and that redaction would garble)."""
        value = self._read(key)
        if value is None or value == "":
            if not required:
                return None
            raise CredentialsMissing(
                f"no {key!r} in {self.describe()}",
                fix=f"set {self.where(key)}" + (f" or change {value_path}" if value_path else ""),
            )
        return Secret(value) if secret else value

    def _read(self, key: str) -> str | None:
        if self.path is None:
            return self.environ.get(env_name(key))
        if self.path.is_dir():
            f = self.path / key
            if "/" in key or not os.path.lexists(f):
                return None
            # A mounted Secret value has no trailing newline, but a hand-made file does.
            return read_text(f, what="credentials file", limit=MAX_KEY_BYTES).rstrip("\r\n")
        return self._load_file(self.path).get(key)

    def _load_file(self, path: Path) -> dict[str, str]:
        if self._file is None:
            raw = read_text(path, what="credentials file", limit=MAX_FILE_BYTES)
            data = parse_yaml(raw, str(path)) if raw.strip() else {}
            if not isinstance(data, dict):
                raise InputError(f"{path}: a credentials file must be a mapping of key: value")
            for k, v in data.items():
                # YAML reads `password: 0123` as 123 and `{a: b}` as a mapping: never guess.
                if v is not None and not isinstance(v, str):
                    raise InputError(f"{path}: the value of {str(k)[:60]!r} is not a string", fix="quote it")
            self._file = {str(k): v for k, v in data.items() if v is not None}
        return self._file
