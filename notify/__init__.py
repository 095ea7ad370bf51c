"""notify: tell people when a story changes (plain values in, deliveries out).

- `Notification`: what one change says (title, URL, headline `1 edited [number]`, the word
  changes `65 -> 56 percent`, a link to the viewer's diff); `.text()` and `.payload()`.
- `Rule` / `rule_for`: who is told of which changes (`notify: substantive | any | never |
  daily-digest`, `to: [names]`), per source, per tag or by default.
- `Targets`: names resolved to destinations from the environment (so secrets stay there):
  Apprise URLs (Slack, email, Telegram, `json://` ...) and plain webhooks with an HMAC
  signature (`webhook+https://...`).
- `deliver(notification, destinations, ...)`: sends to each, retrying with back-off; a
  failing destination is logged and reported, never raised.

Like the stages, it never imports Prefect or another stage; `flows` builds the notification
from the diff and records in the catalog what was sent, so nothing is sent twice.
"""

from __future__ import annotations

from palimpsest.notify.deliver import Delivery, deliver
from palimpsest.notify.message import Notification, digest, viewer_link
from palimpsest.notify.rules import MODES, Rule, rule_for
from palimpsest.notify.targets import Destination, Targets, sign

__all__ = [
    "MODES",
    "Delivery",
    "Destination",
    "Notification",
    "Rule",
    "Targets",
    "deliver",
    "digest",
    "rule_for",
    "sign",
    "viewer_link",
]
