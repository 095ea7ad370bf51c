"""Sending one notification to its destinations, with retries and back-off.

A destination that fails is retried (`attempts` in all, waiting `backoff * 2**i` seconds
between them) and then reported as failed: delivery never raises, so a broken notifier
cannot fail an archive. Idempotency (one notification per version, whatever the retries,
reruns or concurrent workers) is the caller's: flows records what was sent in the catalog.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import httpx
from palimpsest.notify.message import Notification
from palimpsest.notify.targets import Destination, sign

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Delivery:
    destination: str  # its name
    ok: bool
    attempts: int
    error: str = ""


def deliver(
    notification: Notification,
    destinations: Iterable[Destination],
    *,
    client: httpx.Client,
    attempts: int = 3,
    backoff: float = 1.0,
    sleep: Callable[[float], None] = time.sleep,
) -> list[Delivery]:
    results = []
    for dest in destinations:
        error = ""
        for attempt in range(1, attempts + 1):
            try:
                _send(notification, dest, client)
            except _Failed as exc:
                error = str(exc)
                if attempt < attempts:
                    wait = backoff * 2 ** (attempt - 1)
                    log.warning(
                        "%s: notifying %s failed (%s); retry %d of %d in %.1f s",
                        notification.url,
                        dest.name,
                        error,
                        attempt,
                        attempts - 1,
                        wait,
                    )
                    sleep(wait)
                continue
            results.append(Delivery(dest.name, True, attempt))
            break
        else:
            log.error(
                "%s: notifying %s failed after %d attempts (%s)",
                notification.url,
                dest.name,
                attempts,
                error,
            )
            results.append(Delivery(dest.name, False, attempts, error))
    return results


class _Failed(Exception):
    pass


def _send(n: Notification, dest: Destination, client: httpx.Client) -> None:
    if dest.is_webhook:
        body = json.dumps(n.payload(), ensure_ascii=False, sort_keys=True).encode()
        headers = {
            "Content-Type": "application/json",
            "X-Palimpsest-Event": "palimpsest.article.changed",
            "X-Palimpsest-Delivery": n.key,
        }
        if dest.secret:
            headers["X-Palimpsest-Signature"] = sign(dest.secret, body)
        try:
            response = client.post(dest.endpoint, content=body, headers=headers)
        except httpx.HTTPError as exc:
            raise _Failed(type(exc).__name__) from None
        if response.status_code >= 300:
            raise _Failed(f"HTTP {response.status_code}")
        return
    import apprise  # only to send through Apprise: not on every start (CLI)

    sender = apprise.Apprise()
    if not sender.add(dest.url):
        raise _Failed("not a valid Apprise URL")
    if not sender.notify(body=n.text(), title=n.subject, body_format=apprise.NotifyFormat.TEXT):
        raise _Failed("Apprise could not deliver it")
