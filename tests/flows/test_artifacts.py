"""What the Prefect UI shows, as plain functions: artifact keys, markdown, the Run form."""

from __future__ import annotations

import re

import pytest
from palimpsest.diffing import diff_versions
from palimpsest.diffing.render import render_markdown
from palimpsest.flows.artifacts import diff_key, outcome_line, outcomes_key
from palimpsest.flows.pipeline import Outcome

from palimpsest.flow import archive_sources

KEY = re.compile(r"^[a-z0-9-]+$")  # what Prefect accepts as an artifact key


def test_diff_keys_are_one_per_url_even_with_a_long_shared_prefix() -> None:
    base = "https://news.example.com/world/europe/2025/02/17/" + "a-very-long-headline-" * 3
    urls = [base + "part-one", base + "part-two", base.upper() + "part-one"]
    keys = [diff_key(u) for u in urls]
    assert len(set(keys)) == 3 and all(KEY.match(k) for k in keys), keys
    assert diff_key(urls[0]) == keys[0]  # stable: the UI keeps one history per URL
    assert keys[0].startswith("diff-news-example-com-world-")


def test_outcome_table_keys_differ_by_store_and_deployment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    adhoc = outcomes_key("/srv/archive")
    assert adhoc.startswith("archive-outcomes-adhoc-") and KEY.match(adhoc)
    assert outcomes_key("s3://bucket/archive") != adhoc
    monkeypatch.setenv("PREFECT__RUNTIME__DEPLOYMENT__NAME", "Every 15 minutes")
    scheduled = outcomes_key("/srv/archive")
    assert scheduled.startswith("archive-outcomes-every-15-minutes-") and KEY.match(scheduled)


def test_markdown_shows_apostrophes_and_quotes_as_written() -> None:
    diff = diff_versions("The minister's plan.\n", 'The minister\'s "new" plan.\n')
    markdown = render_markdown(diff, title="Ukraine's deal")
    assert "# Ukraine's deal" in markdown and "The minister's **\"**" in markdown
    assert "&#x27;" not in markdown and "&quot;" not in markdown and "\\#x" not in markdown
    assert "# &lt;b&gt; &amp; co" in render_markdown(diff, title="<b> & co")  # still no HTML


def test_outcome_lines_put_the_short_reason_first() -> None:
    failed = Outcome(url="https://example.com/gone", status="failed", error="HTTP 404 Not Found")
    assert outcome_line(failed) == "failed: HTTP 404 Not Found"
    changed = Outcome(url="https://example.com/a", status="changed", version=2, title="A")
    assert outcome_line(changed) == "changed v2: A"


def test_the_run_form_documents_every_parameter() -> None:
    form = archive_sources.parameters.model_dump()["properties"]
    assert list(form) == [
        "urls",
        "sources_file",
        "store",
        "due_only",
        "period_minutes",
        "dask_address",
        "batch_size",
    ]
    for name, field in form.items():
        assert len(field.get("description") or "") > 20, name
        assert "type" in field or "anyOf" in field, name
    assert form["due_only"]["type"] == "boolean" and form["period_minutes"]["type"] == "integer"
    assert form["batch_size"] == {**form["batch_size"], "type": "integer", "default": 16}
