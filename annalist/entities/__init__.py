"""The entities stage: the authority file, recognition of its names, discovery of the rest.

    entities = load_authority(content / "entities.yaml")
    recogniser = Recogniser(entities)
    known = {a.id: recogniser.article(a) for a in articles}
    unreviewed, candidates = discover(articles, known, entities)
    print(review_report(candidates))
"""

from .authority import AuthorityError, load_authority, parse_authority
from .discover import discover
from .recognise import Recogniser
from .review import review_report, review_yaml

__all__ = [
    "AuthorityError", "Recogniser", "discover", "load_authority", "parse_authority",
    "review_report", "review_yaml",
]
