"""CROSSREF: split sentences and link each to the sentences of other articles reporting the same fact.

    split_sentences(article_id, paragraph) -> Sentence, ...
    align([(article, mentions), ...]) -> {article id: (sentences, crossrefs)}
    CALIBRATION: the threshold and its measured precision/recall (calibration.json)
"""

from __future__ import annotations

import json
from pathlib import Path

from .align import align
from .sentences import split_sentences

CALIBRATION_FILE = Path(__file__).with_name("calibration.json")
CALIBRATION: dict = json.loads(CALIBRATION_FILE.read_text(encoding="utf-8"))

__all__ = ["CALIBRATION", "CALIBRATION_FILE", "align", "split_sentences"]
