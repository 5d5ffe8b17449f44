"""The Info tab: where the article came from and how it was processed."""

from __future__ import annotations

from rich.style import Style
from rich.text import Text
from textual.widgets import Static

from extract.safe_text import one_line
from extract.store.records import Article
from tui.widgets import marks


def info_text(article: Article) -> Text:
    rows = [
        ("Title", one_line(article.title)),
        ("Source", one_line(article.source)),
        ("Author", one_line(article.author)),
        ("Published", article.published or ""),
        ("URL", one_line(article.url)),
        ("Feeds", ", ".join(one_line(f) for f in article.feeds)),
        ("Language", one_line(article.language)),
        ("Text", article.text_status),
        ("Why", one_line(article.text_reason)),
        ("Cleaned with", one_line(article.cleaned_with)),
        ("Analysed with", one_line(article.analysed_with) or "not analysed"),
        ("Not analysed", one_line(article.analysis_skipped)),
        ("Quotes", str(article.quote_count)),
        (
            "State",
            ", ".join(
                x
                for x in (
                    "read" if article.read else "unread",
                    "starred" if article.starred else "",
                )
                if x
            ),
        ),
    ]
    palette = marks.current()
    out = Text(end="")
    for name, value in rows:
        if not value:
            continue
        warn = name in ("Why", "Not analysed") or (name == "Text" and value != "full_text")
        out.append(f"{name}\n", palette.name)
        out.append(f"  {value}\n", palette.warn if warn else Style())
    return out


class InfoPanel(Static):
    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(Text("No article open.", marks.current().muted), id=id, markup=False)

    def show(self, article: Article) -> None:
        self.update(info_text(article))
