"""Export a cited briefing: the selected articles, the quotes that matter and who said
what, with numbered references, as Markdown or as a self-contained HTML page.

* ``briefing``: what a briefing holds (``build_briefing`` reads it from the store);
* ``markdown`` / ``html``: the two renderers, which escape every piece of feed text;
* ``links``: which URLs may become links (http(s) only);
* ``files``: writing one to a file, atomically, under a fresh name.
"""

from extract.export.briefing import Briefing, build_briefing
from extract.export.files import (
    RENDERERS,
    SUFFIXES,
    Exported,
    ExportError,
    export_to_file,
    new_export_path,
    render,
)
from extract.store.exports import ExportFilter

__all__ = [
    "RENDERERS",
    "SUFFIXES",
    "Briefing",
    "ExportError",
    "ExportFilter",
    "Exported",
    "build_briefing",
    "export_to_file",
    "new_export_path",
    "render",
]
