"""The test archive's pages: an article edited between two checks, a hostile page whose
title, text and markup carry script payloads, an unrelated story, a page that fails."""

from __future__ import annotations

# Any of these, if it ran, would change the document's title or set a marker attribute.
PAYLOADS = (
    "<script>document.title='PWNED'</script>",
    "<img src=x onerror=\"document.title='PWNED';document.body.dataset.pwned=1\">",
    "<svg onload=\"document.title='PWNED'\"></svg>",
    "\"><script>document.title='PWNED'</script>",
)


def hostile_page(edition: int) -> str:
    """An article whose title and paragraphs carry the payloads as text (escaped in the
    HTML, so the extractor keeps them as literal text), and whose markup has live scripts
    and handlers that a capture must never run."""
    from html import escape

    payload_text = " ".join(escape(p) for p in PAYLOADS)
    extra = (
        f"<p>Editors added a line in edition {edition} that mentions {escape(PAYLOADS[1])} "
        "again, because the script sanitiser on the site was broken that week.</p>"
        if edition > 1
        else ""
    )
    return f"""<!DOCTYPE html>
<html><head><meta charset="utf-8">
<title>{escape(PAYLOADS[0])} Harbour council {escape(PAYLOADS[1])}</title>
<script>document.title = 'CAPTURE-RAN'; window.parent.document.title = 'CAPTURE-RAN';</script>
</head>
<body onload="document.body.dataset.captureRan = 1">
<article>
<h1>{escape(PAYLOADS[0])} Harbour council votes on the sea wall</h1>
<p>The harbour council voted on Tuesday to rebuild the northern sea wall before winter,
after storms in March flooded the fish market twice {payload_text}.</p>
<p>Engineers told the council the old wall had lost a third of its height since it was built
in 1952, and that sandbags would not hold another spring tide.</p>
<p>The vote was seven to two, with both dissenting members arguing that the cost of the
repairs should be shared with the regional government.</p>
{extra}
<img src="/pixel.gif" onerror="document.body.dataset.captureRan = 2">
<script>document.body.dataset.captureRan = 3;</script>
</article>
</body></html>
"""


UNRELATED = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>Bakery wins regional bread prize</title></head>
<body><article>
<h1>Bakery wins regional bread prize</h1>
<p>A family bakery on Mill Street won the regional sourdough prize on Saturday, beating
forty entries from across the county with a rye loaf proofed for thirty hours.</p>
<p>The owners said the recipe came from a grandmother who baked for the village school and
that the prize money would pay for a second oven.</p>
<p>Judges praised the crust and the open crumb, and said the loaf kept well for four days.</p>
</article></body></html>
"""
