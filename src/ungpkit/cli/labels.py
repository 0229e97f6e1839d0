"""Headings the terminal views print, in each interface language."""

from __future__ import annotations

HEADINGS: dict[str, dict[str, str]] = {
    "element": {"en": "Element", "fr": "Élément", "es": "Elemento", "ko": "요소"},
    "grid": {"en": "Grid", "fr": "Grille", "es": "Matriz", "ko": "평가표"},
    "stage": {"en": "Stage", "fr": "Étape", "es": "Etapa", "ko": "단계"},
    "meets": {
        "en": "What meeting it looks like",
        "fr": "Ce qui montre que l'élément est satisfait",
        "es": "Qué muestra que se cumple",
        "ko": "충족 기준",
    },
    "partial": {
        "en": "What a partial answer looks like",
        "fr": "Ce qu'est une réponse partielle",
        "es": "Qué es un cumplimiento parcial",
        "ko": "부분 충족",
    },
    "recommendation": {
        "en": "Recommendation when absent",
        "fr": "Recommandation en cas d'absence",
        "es": "Recomendación si falta",
        "ko": "부재 시 권고",
    },
    "ungp": {
        "en": "Guiding Principles",
        "fr": "Principes directeurs",
        "es": "Principios Rectores",
        "ko": "이행원칙",
    },
    "rights": {"en": "Rights", "fr": "Droits", "es": "Derechos", "ko": "권리"},
    "cues": {
        "en": "Matching cues",
        "fr": "Indices de correspondance",
        "es": "Indicios de coincidencia",
        "ko": "탐지 단서",
    },
    "facets": {"en": "Facets", "fr": "Aspects", "es": "Aspectos", "ko": "세부 측면"},
    "pillar": {"en": "Pillar", "fr": "Pilier", "es": "Pilar", "ko": "축"},
    "summary": {"en": "Summary", "fr": "Résumé", "es": "Resumen", "ko": "요약"},
    "instruments": {
        "en": "International instruments",
        "fr": "Instruments internationaux",
        "es": "Instrumentos internacionales",
        "ko": "국제 인권 규범",
    },
    "examples": {
        "en": "In technology",
        "fr": "Dans la technologie",
        "es": "En la tecnología",
        "ko": "기술 분야의 예",
    },
    "description": {"en": "Description", "fr": "Description", "es": "Descripción", "ko": "설명"},
    "terms": {"en": "Terms", "fr": "Termes", "es": "Términos", "ko": "용어"},
    "elements": {"en": "Elements", "fr": "Éléments", "es": "Elementos", "ko": "요소"},
}


def heading(key: str, lang: str) -> str:
    """Return the heading ``key`` in ``lang`` (English when missing)."""
    texts = HEADINGS[key]
    return texts.get(lang, texts["en"])
