"""Re-run the current extractor over stored raw captures (an improved extractor, applied to
the whole history): oldest capture first, a new version wherever the text now differs from the
latest version, each tagged with the extractor version and the version it was re-made from.
Nothing stored is changed; re-running with the same extractor adds nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from palimpsest.diffing import SeedCorpus
from palimpsest.extractors import EXTRACTOR_VERSION
from palimpsest.extractors.errors import ExtractionError
from palimpsest.fetchers import FetchSettings, Validators
from palimpsest.fetchers.encoding import EncodingError, decode_body
from palimpsest.flows.context import ExtractFn
from palimpsest.flows.pipeline import draft_of, record_version
from palimpsest.storage import Capture, Store, VersionDraft, VersionRecord
from palimpsest.text import charset_of


@dataclass
class Reextracted:
    url: str
    added: list[int] = field(default_factory=list)  # new version numbers
    errors: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, object]:
        return {"url": self.url, "added": self.added, "errors": self.errors}


def _draft(record: VersionRecord, capture: Capture, extract: ExtractFn) -> VersionDraft:
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
    )


def reextract_url(url: str, store: Store, seeds: SeedCorpus, extract: ExtractFn) -> Reextracted:
    """Re-extract every capture of `url` not yet extracted by the current extractor version."""
    result = Reextracted(url)
    history = store.versions(url)
    done = {r.raw_key for r in history if r.extractor_version == EXTRACTOR_VERSION}
    seen: set[str] = set()
    for record in history:
        key = record.raw_key
        if not key or key in done or key in seen:
            continue
        seen.add(key)
        try:
            draft = _draft(record, store.read_capture(key), extract)
        except (ExtractionError, EncodingError, ValueError) as exc:
            result.errors.append(f"v{record.version}: {exc}")
            continue
        new, created = record_version(store, seeds, draft)
        if created:
            result.added.append(new.version)
    return result
