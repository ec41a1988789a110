"""The entities stage: the authority file, recognition of its names, discovery of the rest.

    entities = load_authority(content / "entities.yaml")
    recogniser = Recogniser(entities)
    known = {a.id: recogniser.article(a) for a in articles}
    entities, rejected = apply_decisions(entities, load_decisions(content / "curation.yaml"))
    unreviewed, candidates = discover(articles, known, entities, rejected)
    print(review_report(candidates, suggest_merges(candidates, entities)))
"""

from .authority import AuthorityError, load_authority, parse_authority
from .discover import discover
from .recognise import Recogniser
from .decisions import apply_decisions, load_decisions, parse_decisions
from .review import decision_yaml, review_report, review_yaml, suggest_merges

__all__ = [
    "AuthorityError", "Recogniser", "apply_decisions", "decision_yaml", "discover", "load_authority",
    "load_decisions", "parse_authority", "parse_decisions", "review_report", "review_yaml", "suggest_merges",
]
