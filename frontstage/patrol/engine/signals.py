"""One post's detector outputs, each computed at most once and only if a rule asks for it."""

from functools import cached_property
from typing import TYPE_CHECKING

from frontstage.patrol.engine.classifier import Scores, embedding_text
from frontstage.patrol.engine.entities import Entity, extract_entities
from frontstage.patrol.engine.keywords import KeywordMatch
from frontstage.patrol.engine.normalise import Normalised, normalise
from frontstage.patrol.engine.pdq import PdqHash, hash_image
from frontstage.patrol.engine.post import Evidence, Post
from frontstage.patrol.engine.vocabulary import Category, EntityKind, EvidenceKind, Layer

if TYPE_CHECKING:
    from frontstage.patrol.engine.pack import RulePack


class PostSignals:
    def __init__(self, post: Post, pack: "RulePack") -> None:
        self.post = post
        self.pack = pack
        self.scores: Scores | None = None  # set by RulePack.prepare for a batch, else lazily
        self._keywords: dict[str, list[Evidence]] = {}
        self._patterns: dict[str, list[Evidence]] = {}

    @cached_property
    def text(self) -> Normalised:
        return normalise(self.post.text or "")

    @cached_property
    def keywords(self) -> dict[str, list[KeywordMatch]]:
        return self.pack.automaton.find(self.text.skeleton.text)

    @cached_property
    def entities(self) -> list[Entity]:
        return extract_entities(self.text, self.post.urls, self.pack.region)

    @cached_property
    def image_hash(self) -> PdqHash | None:
        """None without an image or when its quality is too low to match reliably. Raises
        pdq.UnreadableImage when the image cannot be decoded."""
        if self.post.image is None:
            return None
        found = hash_image(self.post.image)
        return found if found.usable else None

    def classifier_scores(self) -> Scores | None:
        """None when the pack has no classifier."""
        if self.scores is None and self.pack.classifier is not None:
            self.scores = self.pack.classifier.score([embedding_text(self.text)])[0]
        return self.scores

    def keyword_evidence(self, keyword_set: str) -> list[Evidence]:
        matches = self.keywords.get(keyword_set)
        if not matches:
            return []
        if keyword_set not in self._keywords:
            self._keywords[keyword_set] = self._keyword_evidence(keyword_set, matches)
        return self._keywords[keyword_set]

    def _keyword_evidence(self, keyword_set: str, matches: list[KeywordMatch]) -> list[Evidence]:
        skeleton = self.text.skeleton
        return [
            self._quoted(
                EvidenceKind.KEYWORD, keyword_set, m.keyword, skeleton.original_span(m.start, m.end)
            )
            for m in matches
        ]

    def pattern_evidence(self, pattern: str) -> list[Evidence]:
        if pattern not in self._patterns:
            spec = self.pack.patterns[pattern]
            layer = self.text.plain if spec.layer is Layer.PLAIN else self.text.skeleton
            self._patterns[pattern] = [
                self._quoted(EvidenceKind.PATTERN, pattern, m[0], layer.original_span(*m.span()))
                for m in spec.regex.finditer(layer.text)
                if m.end() > m.start()
            ]
        return self._patterns[pattern]

    def entity_evidence(self, kinds: frozenset[EntityKind]) -> list[Evidence]:
        return [self._entity(e) for e in self.entities if e.kind in kinds]

    def url_evidence(self, url_list: str) -> list[Evidence]:
        listed = self.pack.url_lists[url_list]
        if not len(listed):  # an empty list needs no entity extraction
            return []
        found: list[Evidence] = []
        for entity in self.entities:
            if entity.kind is EntityKind.URL:
                expression = listed.match(entity.value)
                if expression is not None:
                    found.append(self._entity(entity, EvidenceKind.URL, url_list, expression))
        return found

    def pdq_evidence(self, pdq_list: str) -> list[Evidence]:
        listed = self.pack.pdq_lists[pdq_list]
        if not len(listed) or self.image_hash is None:  # an empty list needs no hashing
            return []
        return [
            Evidence(EvidenceKind.PDQ, pdq_list, label, distance=distance)
            for label, distance in listed.match(self.image_hash.packed)
        ]

    def classifier_evidence(self, category: Category, minimum: float | None) -> list[Evidence]:
        scores = self.classifier_scores()
        if scores is None or self.pack.classifier is None:
            return []
        score = scores.get(category, 0.0)
        if score < (self.pack.classifier.threshold(category) if minimum is None else minimum):
            return []
        return [
            Evidence(EvidenceKind.CLASSIFIER, "classifier", category.value, score=round(score, 4))
        ]

    def _quoted(
        self, kind: EvidenceKind, source: str, matched: str, span: tuple[int, int]
    ) -> Evidence:
        return Evidence(kind, source, matched, span, self.text.original[span[0] : span[1]])

    def _entity(
        self,
        entity: Entity,
        kind: EvidenceKind = EvidenceKind.ENTITY,
        source: str | None = None,
        matched: str | None = None,
    ) -> Evidence:
        text = self.text.original[entity.span[0] : entity.span[1]] if entity.span else None
        return Evidence(
            kind,
            source or entity.kind.value,
            matched or entity.value,
            entity.span,
            text,
            value=entity.value,
        )
