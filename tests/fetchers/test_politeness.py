"""robots.txt and per-host politeness against the live `FaultServer`.

Waits are asserted through the fake clock: with `FakeClock(advance=False)` time stands still,
so every reservation a thread makes is visible as the exact sleep it was asked to take.
"""

from __future__ import annotations

import threading

import pytest
from palimpsest.fetchers import RobotsDisallowed


def run_threads(target, args_list) -> list[BaseException]:
    errors: list[BaseException] = []

    def wrapped(*args) -> None:
        try:
            target(*args)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=wrapped, args=args) for args in args_list]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return errors


# -- robots.txt ------------------------------------------------------------------------------


def test_disallowed_url_is_refused_and_never_requested(make_fetcher, fault) -> None:
    fault.robots = "disallow:/secret"
    fetcher = make_fetcher()

    with pytest.raises(RobotsDisallowed) as caught:
        fetcher.fetch(fault.url("/secret/page"))

    assert "robots.txt" in caught.value.reason and "robots.txt" in str(caught.value)
    assert fault.paths() == ["/robots.txt"]
    assert fetcher.fetch(fault.url("/page")).status == 200  # other paths are fine
    assert fault.paths() == ["/robots.txt", "/page"]  # and robots.txt came from the cache


def test_redirect_into_a_disallowed_path_is_refused(make_fetcher, fault) -> None:
    fault.robots = "disallow:/secret"

    with pytest.raises(RobotsDisallowed) as caught:
        make_fetcher().fetch(fault.url("/redirect?to=/secret/x"))

    assert caught.value.url == fault.url("/secret/x")
    assert caught.value.reason.endswith(f"(redirected from {fault.url('/redirect?to=/secret/x')})")
    assert "/secret/x" not in fault.paths()


def test_redirected_robots_txt_is_followed(make_fetcher, fault) -> None:
    fault.robots = "moved:/secret"
    fetcher = make_fetcher()

    with pytest.raises(RobotsDisallowed):
        fetcher.fetch(fault.url("/secret/page"))
    assert fetcher.fetch(fault.url("/page")).status == 200

    assert fault.paths() == ["/robots.txt", "/rules/robots.txt", "/page"]


def test_missing_robots_txt_allows_everything(make_fetcher, fault) -> None:
    fault.robots = "status:404"
    assert make_fetcher().fetch(fault.url("/page")).status == 200


@pytest.mark.parametrize(("robots", "said"), [("status:503", "HTTP 503"), ("reset", "fetched")])
def test_unreachable_robots_txt_disallows(make_fetcher, fault, robots, said) -> None:
    fault.robots = robots

    with pytest.raises(RobotsDisallowed) as caught:
        make_fetcher(retries=1).fetch(fault.url("/page"))

    assert "robots.txt" in caught.value.reason and said in caught.value.reason
    assert "/page" not in fault.paths()
    assert fault.count("/robots.txt") == 2  # robots.txt itself was retried once


def test_robots_txt_is_cached_for_its_ttl(make_fetcher, fault, clock) -> None:
    fetcher = make_fetcher(robots_ttl=600)
    fetcher.fetch(fault.url("/page"))
    clock.now += 599
    fetcher.fetch(fault.url("/page"))
    assert fault.count("/robots.txt") == 1

    clock.now += 2
    fetcher.fetch(fault.url("/page"))
    assert fault.count("/robots.txt") == 2


def test_an_unreachable_verdict_expires_sooner(make_fetcher, fault, clock) -> None:
    fault.robots = "status:500"
    fetcher = make_fetcher(retries=0, robots_ttl=3600)
    with pytest.raises(RobotsDisallowed):
        fetcher.fetch(fault.url("/page"))

    fault.robots = "allow"
    clock.now += 301
    assert fetcher.fetch(fault.url("/page")).status == 200


def test_robots_can_be_switched_off(make_fetcher, fault) -> None:
    fault.robots = "disallow:/"
    assert make_fetcher(obey_robots=False).fetch(fault.url("/page")).status == 200
    assert "/robots.txt" not in fault.paths()


def test_crawl_delay_raises_the_host_delay(make_fetcher, fault, clock) -> None:
    fault.robots = "delay:5"
    fetcher = make_fetcher(host_delay=1.0)

    fetcher.fetch(fault.url("/page"))
    fetcher.fetch(fault.url("/page"))

    # robots.txt at t, first page at t+1 (host delay), second page 5 s later (Crawl-delay)
    assert clock.sleeps == [1.0, 5.0]


# -- per-host delay and concurrency ----------------------------------------------------------


def test_requests_to_one_host_are_spaced_by_the_host_delay(make_fetcher, fault, clock) -> None:
    fetcher = make_fetcher(host_delay=1.5)
    for _ in range(3):
        fetcher.fetch(fault.url("/page"))

    assert clock.sleeps == [1.5, 1.5, 1.5]  # robots.txt, then three pages 1.5 s apart
    assert fault.paths() == ["/robots.txt", "/page", "/page", "/page"]


def test_the_delay_is_shared_by_all_threads(make_fetcher, fault, clock) -> None:
    clock.advance = False  # time stands still: each thread's reservation shows as its sleep
    fetcher = make_fetcher(host_delay=1.0, host_concurrency=8)

    errors = run_threads(fetcher.fetch, [(fault.url(f"/page?n={n}"),) for n in range(5)])

    assert errors == []
    assert sorted(clock.sleeps) == [1.0, 2.0, 3.0, 4.0, 5.0]  # robots.txt started at 0
    assert fault.count("/robots.txt") == 1  # loaded once, the other threads waited for it


def test_the_delay_is_per_host(make_fetcher, fault, other_fault, clock) -> None:
    clock.advance = False
    fetcher = make_fetcher(host_delay=1.0)
    fetcher.fetch(fault.url("/page"))
    fetcher.fetch(other_fault.url("/page"))

    assert clock.sleeps == [1.0, 1.0]  # each host: robots.txt at once, its page 1 s later


def test_retry_after_holds_back_the_whole_host(make_fetcher, fault, clock) -> None:
    clock.advance = False
    fetcher = make_fetcher()

    fetcher.fetch(fault.url("/flaky?fail=1&status=429&retry_after=5"))
    fetcher.fetch(fault.url("/page"))

    assert clock.sleeps == [5.0, 5.0]  # the retry, and the next request to that host


def slow_fetches(make_fetcher, fault, limit: int) -> int:
    """Six threads fetch slow pages from one host; the most requests the server saw at once."""
    fault.hold = 0.2
    fetcher = make_fetcher(host_concurrency=limit, obey_robots=False)

    errors = run_threads(fetcher.fetch, [(fault.url(f"/slow?n={n}"),) for n in range(6)])

    assert errors == []
    assert fault.count("/slow?n=0") == 1
    return fault.max_in_flight


def test_concurrent_requests_per_host_are_capped(make_fetcher, fault) -> None:
    assert slow_fetches(make_fetcher, fault, limit=2) == 2


def test_without_a_tight_cap_requests_do_overlap(make_fetcher, fault) -> None:
    # The control for the test above: the server does see concurrency when it is allowed.
    assert slow_fetches(make_fetcher, fault, limit=6) > 2
