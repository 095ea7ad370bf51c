"""Re-run the current extractor over a source's stored raw captures, as a new generation.

The history a user reads must stay in capture order with one extractor's text at a time, so a
re-extraction never appends to the history it re-reads. It builds the next generation of the
source (DESIGN.md, storage layout): every capture of the current generation, oldest first,
re-extracted and stored as that generation's versions (a capture whose new text equals its
predecessor's adds no version), then published at once. Readers switch to it; the older
generation stays stored, readable with `generation=N` (`palimpsest versions --generation`).
Versions archived while it was being built are carried over after publishing, and an archive
run that wrote to the old generation meanwhile adds its version to the new one too
(`Store.add_version`), so none is left out.

A source is re-extracted when a version of its current generation was made by another
extractor (`EXTRACTOR_VERSION`, a fingerprint of the extractor) or with `force`; when every
new text equals the current one, nothing is written. Re-running adds nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from palimpsest.diffing import SeedCorpus, diff_versions
from palimpsest.extractors import EXTRACTOR_VERSION
from palimpsest.extractors.errors import ExtractionError
from palimpsest.fetchers import FetchSettings, Validators
from palimpsest.fetchers.encoding import EncodingError, decode_body
from palimpsest.flows.catalog import CatalogReporter
from palimpsest.flows.context import ExtractFn
from palimpsest.flows.pipeline import draft_of, summarize
from palimpsest.flows.seeds import stored_matches
from palimpsest.storage import Capture, Store, VersionDraft, VersionRecord, text_sha256
from palimpsest.storage.errors import StorageError
from palimpsest.text import charset_of


@dataclass
class Reextracted:
    url: str
    generation: int | None = None  # the generation written, None when nothing was
    from_generation: int | None = None
    versions: list[int] = field(default_factory=list)  # the new generation's versions
    errors: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, object]:
        return {
            "url": self.url,
            "generation": self.generation,
            "from_generation": self.from_generation,
            "versions": self.versions,
            "errors": self.errors,
        }


def _draft(
    record: VersionRecord, capture: Capture, extract: ExtractFn, generation: int
) -> VersionDraft:
    limit = FetchSettings().max_bytes  # the capture is stored as received: undo its encoding
    body = decode_body(capture.body, capture.header("Content-Encoding"), limit)
    return draft_of(
        # the declared charset as the fetcher saw it: both decode with palimpsest.text.decode
        extract(body, capture.final_url, charset_of(capture.header("Content-Type"))),
        url=record.url,
        final_url=record.final_url,
        captured_at=record.captured_at,
        validators=Validators(record.etag, record.last_modified),
        raw_key=record.raw_key,
        reextracted_from=record.version,
        reextracted_from_generation=generation,
    )


def _carried(record: VersionRecord) -> VersionDraft:
    """A version without a capture, kept as it is (nothing to re-extract it from)."""
    return VersionDraft(
        url=record.url,
        final_url=record.final_url,
        captured_at=record.captured_at,
        etag=record.etag,
        last_modified=record.last_modified,
        raw_key=None,
        text=record.text,
        metadata=record.metadata,
        extractor=record.extractor,
        extractor_version=record.extractor_version,
        removed=record.removed,
    )


def _drafts(
    store: Store, history: list[VersionRecord], extract: ExtractFn, gen: int, result: Reextracted
) -> list[VersionDraft]:
    drafts = []
    for record in history:
        if not record.raw_key:
            drafts.append(_carried(record))
            continue
        try:
            drafts.append(_draft(record, store.read_capture(record.raw_key), extract, gen))
        except (ExtractionError, EncodingError, ValueError, StorageError) as exc:
            result.errors.append(f"v{record.version}: {exc}")
    return drafts


def _collapsed(shas: list[str]) -> list[str]:
    return [s for i, s in enumerate(shas) if i == 0 or shas[i - 1] != s]


def _stale(history: list[VersionRecord]) -> bool:
    return any(r.raw_key and r.extractor_version != EXTRACTOR_VERSION for r in history)


def reextract_url(
    url: str,
    store: Store,
    seeds: SeedCorpus,
    extract: ExtractFn,
    *,
    force: bool = False,
    catalog: CatalogReporter | None = None,
) -> Reextracted:
    """Build and publish a new generation of `url` if the current extractor reads its
    captures differently (see the module docstring); what was done. The published history
    replaces the source's versions in `catalog`, after the store."""
    result = Reextracted(url)
    current = store.generations(url)[-1].number
    history = store.versions(url, current)
    if not history or not (force or _stale(history)):
        return result
    drafts = _drafts(store, history, extract, current, result)
    if result.errors:
        return result  # a generation missing a capture would hide part of the history
    if _collapsed([text_sha256(d.text) for d in drafts]) == [r.sha256 for r in history]:
        return result  # the same texts: nothing to add
    gen = store.new_generation(url)
    for draft in drafts:
        _add(store, seeds, draft, gen)
    store.publish_generation(url, gen, EXTRACTOR_VERSION, current)
    # versions archived into the old generation while this one was built
    for record in store.versions(url, current)[len(history) :]:
        late = _drafts(store, [record], extract, current, result) or [_carried(record)]
        _add(store, seeds, late[0], gen)
    result.generation, result.from_generation = gen, current
    published = store.versions(url, gen)
    result.versions = [r.version for r in published]
    if catalog is not None:
        catalog.history_replaced(url, published)
    return result


def _add(store: Store, seeds: SeedCorpus, draft: VersionDraft, gen: int) -> None:
    def summary(prev: VersionRecord | None) -> dict:
        diff = diff_versions(prev.text, draft.text) if prev is not None else None
        return summarize(prev, diff, stored_matches(seeds, draft.text))

    store.add_version(draft, summary, generation=gen)
