"""Destinations by name, resolved from the environment so that secrets stay there.

sources.yaml says `to: [newsroom, desk-hook]`; the environment says where those are:

    PALIMPSEST_NOTIFY_NEWSROOM=mailtos://user:pass@smtp.example.org?to=desk@example.org
    PALIMPSEST_NOTIFY_DESK_HOOK=webhook+https://hooks.example.org/palimpsest
    PALIMPSEST_NOTIFY_DESK_HOOK_SECRET=...      (the webhook's HMAC key)

Any Apprise URL works (Slack, Telegram, Matrix, email, `json://` ...); `webhook+http(s)://`
is our plain webhook: a JSON POST signed with HMAC-SHA256 in `X-Palimpsest-Signature`
(`sha256=<hex>`, as GitHub signs its webhooks), for systems without an Apprise plugin.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")
PREFIX = "PALIMPSEST_NOTIFY_"
WEBHOOK = "webhook+"


@dataclass(frozen=True)
class Destination:
    name: str  # what logs and errors show: never the URL, which may carry a secret
    url: str = field(repr=False)
    secret: str = field(default="", repr=False)

    @property
    def is_webhook(self) -> bool:
        return self.url.startswith(WEBHOOK)

    @property
    def endpoint(self) -> str:
        return self.url[len(WEBHOOK) :] if self.is_webhook else self.url


class Targets:
    """Destination names -> destinations, from a mapping like `os.environ` (read once by the
    settings and passed in)."""

    def __init__(self, environ: Mapping[str, str]) -> None:
        self._env = {k: v for k, v in environ.items() if k.startswith(PREFIX)}

    @staticmethod
    def variable(name: str) -> str:
        return PREFIX + re.sub(r"[^A-Za-z0-9]", "_", name).upper()

    def names(self) -> list[str]:
        return sorted(k[len(PREFIX) :].lower() for k in self._env if not k.endswith("_SECRET"))

    def resolve(self, name: str) -> Destination:
        """The destination called `name`, or KeyError naming the variable to set."""
        if not _NAME.match(name):
            raise KeyError(f"{name!r} is not a destination name (letters, digits, - and _)")
        var = self.variable(name)
        url = self._env.get(var, "").strip()
        if not url:
            raise KeyError(f"destination {name!r} is not configured: set {var}")
        return Destination(name, url, self._env.get(var + "_SECRET", ""))


def sign(secret: str, body: bytes) -> str:
    """The `X-Palimpsest-Signature` value of a webhook body."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
