"""Notifications reach real receivers on 127.0.0.1: Apprise json://, Apprise email over
SMTP, and the plain signed webhook; a failing receiver is retried, then reported."""

from __future__ import annotations

import email
import json

import httpx
import pytest
from palimpsest.notify import Notification, Rule, Targets, deliver, digest, rule_for, sign

N = Notification(
    url="http://127.0.0.1:9/news/minerals",
    version=3,
    title="Minerals deal signed",
    captured_at="2026-12-02T03:00:00+00:00",
    headline="1 edited [number], 1 added",
    substantive=True,
    details=("65 -> 56 percent",),
    labels=("number",),
    link="http://viewer.local/diff?url=x&from=2&to=3",
)


@pytest.fixture
def client() -> httpx.Client:
    with httpx.Client(timeout=5) as c:
        yield c


def _no_sleep(waits: list[float]):  # type: ignore[no-untyped-def]
    return waits.append


def test_signed_webhook_posts_the_change_once_with_a_verifiable_signature(receiver, client):
    dest = Targets(
        {
            "PALIMPSEST_NOTIFY_DESK": "webhook+" + receiver.url,
            "PALIMPSEST_NOTIFY_DESK_SECRET": "s3cret",
        }
    ).resolve("desk")

    [result] = deliver(N, [dest], client=client)

    assert result.ok and result.attempts == 1
    [(headers, body)] = receiver.posts
    assert headers["x-palimpsest-signature"] == sign("s3cret", body)
    assert headers["x-palimpsest-delivery"] == "http://127.0.0.1:9/news/minerals#v3"
    sent = json.loads(body)
    assert sent["summary"] == "1 edited [number], 1 added"
    assert sent["details"] == ["65 -> 56 percent"] and sent["substantive"] is True


def test_a_receiver_that_fails_twice_gets_the_notification_once(receiver, client):
    receiver.fail_next = [500, 500]
    waits: list[float] = []
    dest = Targets({"PALIMPSEST_NOTIFY_DESK": "webhook+" + receiver.url}).resolve("desk")

    [result] = deliver(N, [dest], client=client, backoff=0.5, sleep=_no_sleep(waits))

    assert (result.ok, result.attempts) == (True, 3)
    assert len(receiver.posts) == 1
    assert waits == [0.5, 1.0]  # back-off doubles


def test_a_receiver_that_never_answers_well_is_reported_not_raised(receiver, client, caplog):
    receiver.fail_next = [503] * 5
    dest = Targets({"PALIMPSEST_NOTIFY_DESK": "webhook+" + receiver.url}).resolve("desk")

    [result] = deliver(N, [dest], client=client, attempts=2, sleep=lambda s: None)

    assert (result.ok, result.error) == (False, "HTTP 503")
    assert receiver.posts == []
    assert "notifying desk failed after 2 attempts (HTTP 503)" in caplog.text


def test_apprise_json_target_posts_to_the_receiver(receiver, client):
    url = receiver.url.replace("http://", "json://")
    dest = Targets({"PALIMPSEST_NOTIFY_HOOK": url}).resolve("hook")

    [result] = deliver(N, [dest], client=client)

    assert result.ok
    [body] = receiver.bodies()
    assert body["title"] == "Substantive change: Minerals deal signed"
    assert "65 -> 56 percent" in body["message"]


def test_apprise_email_reaches_an_smtp_server(mailbox, client):
    url = (
        f"mailto://localhost:{mailbox.port}?smtp=127.0.0.1&from=palimpsest@example.org"
        "&to=desk@example.org&mode=insecure"
    )
    dest = Targets({"PALIMPSEST_NOTIFY_DESK": url}).resolve("desk")

    [result] = deliver(N, [dest], client=client, attempts=1)

    assert result.ok, result.error
    [mail] = mailbox.messages
    message = email.message_from_string(mail["data"])
    assert message["Subject"] == "Substantive change: Minerals deal signed"
    text = "".join(
        part.get_payload(decode=True).decode()
        for part in message.walk()
        if part.get_content_type() == "text/plain"
    )
    assert "65 -> 56 percent" in text


def test_destinations_are_names_and_never_show_their_url() -> None:
    targets = Targets({"PALIMPSEST_NOTIFY_SLACK_DESK": "slack://tokenA/tokenB/tokenC"})
    dest = targets.resolve("slack-desk")
    assert "token" not in repr(dest)
    with pytest.raises(KeyError, match="set PALIMPSEST_NOTIFY_NEWSROOM"):
        targets.resolve("newsroom")


@pytest.mark.parametrize(
    ("source", "tags", "expected"),
    [
        (Rule("any", ("a",)), ["ukraine"], Rule("any", ("a",))),  # the source's own rule
        (None, ["economy", "ukraine"], Rule("substantive", ("desk",))),  # first tag with one
        (None, ["sport"], Rule()),  # the default: never
    ],
)
def test_rules_by_source_then_tag_then_default(source, tags, expected) -> None:
    by_tag = {"ukraine": Rule("substantive", ("desk",)), "weather": Rule("any", ("b",))}
    assert rule_for(source, tags, by_tag) == expected


@pytest.mark.parametrize(
    ("rule", "substantive", "sent"),
    [
        (Rule("substantive", ("d",)), True, True),
        (Rule("substantive", ("d",)), False, False),  # a cosmetic edit: nothing sent
        (Rule("any", ("d",)), False, True),
        (Rule("never"), True, False),
        (Rule("daily-digest", ("d",)), True, False),  # collected for the day's digest
    ],
)
def test_which_changes_a_rule_sends_at_once(rule, substantive, sent) -> None:
    assert rule.wants(substantive) is sent


@pytest.mark.parametrize(
    ("mode", "to", "message"),
    [("sometimes", ("d",), "notify must be one of"), ("any", (), "needs a 'to' list")],
)
def test_bad_rules_are_refused(mode, to, message) -> None:
    with pytest.raises(ValueError, match=message):
        Rule(mode, to)


def test_a_digest_lists_every_change_of_the_day() -> None:
    other = Notification(
        "http://127.0.0.1:9/b", 2, "B", "2026-12-02T04:00:00+00:00", "1 added", False
    )
    day = digest([N, other], "2026-12-02")
    assert day.title == "2 changes on 2026-12-02" and day.key == "digest:2026-12-02#v0"
    assert "Minerals deal signed (http://127.0.0.1:9/news/minerals, version 3)" in day.headline
    assert "  65 -> 56 percent" in day.headline and "B (http://127.0.0.1:9/b" in day.headline
