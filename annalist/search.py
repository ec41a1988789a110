"""Search: Pagefind's index over the built site (through its Python API).

Only what sits inside `data-pagefind-body` is indexed: headlines and article text, and entity
pages; navigation, footers, footnotes quoting other outlets and the provenance tables are not.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from pagefind.index import IndexConfig, PagefindIndex

BUNDLE_DIR = "_pagefind"


async def _index(site_dir: Path, language: str) -> int:
    config = IndexConfig(output_path=str(site_dir / BUNDLE_DIR), force_language=language)
    async with PagefindIndex(config=config) as index:
        result = await index.add_directory(path=str(site_dir))
        await index.write_files(output_path=str(site_dir / BUNDLE_DIR))
    return int(getattr(result, "page_count", 0) or (result.get("page_count", 0) if isinstance(result, dict) else 0))


def index_site(site_dir: Path, language: str = "en") -> int:
    """Index the site in place; returns the number of pages Pagefind indexed."""
    return asyncio.run(_index(site_dir, language))
