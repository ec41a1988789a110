"""The publishing side: everything that turns annotated articles into the site on disk.

views      plain values for each page (what a template shows)
render     Jinja2 pages and their Markdown → HTML
cite       citations (CSL styles, compiled once) and reference-manager metadata
feeds      Atom feeds
export     the machine-readable edition (JSON)
search     Pagefind's index in bundles (re-indexed only where pages changed) and the offline (file://) index
pagefind_canon  Pagefind bundles made byte-identical across builds, page names unique across bundles
fixity     the checksum manifest and `annalist verify`
bundle     the deterministic zip of the whole site
output     the --out guard and the atomic swap of the new site into place
"""
