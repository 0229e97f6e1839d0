"""The words reports print, in each language."""

from __future__ import annotations

WORDS: dict[str, dict[str, str]] = {
    "met": {"en": "met", "fr": "satisfait", "es": "cumplido", "ko": "충족"},
    "partial": {"en": "partial", "fr": "partiel", "es": "parcial", "ko": "부분 충족"},
    "absent": {"en": "absent", "fr": "absent", "es": "ausente", "ko": "부재"},
    "not_applicable": {
        "en": "not applicable",
        "fr": "sans objet",
        "es": "no aplicable",
        "ko": "해당 없음",
    },
    "binding": {"en": "binding", "fr": "contraignant", "es": "vinculante", "ko": "구속적"},
    "best_efforts": {
        "en": "best efforts",
        "fr": "obligation de moyens",
        "es": "de medios",
        "ko": "노력 의무",
    },
    "voluntary": {"en": "voluntary", "fr": "facultatif", "es": "voluntario", "ko": "임의적"},
    "aspirational": {
        "en": "aspirational",
        "fr": "programmatique",
        "es": "programático",
        "ko": "선언적",
    },
    "done": {"en": "done", "fr": "réalisé", "es": "realizado", "ko": "이행"},
    "promised": {
        "en": "promised only",
        "fr": "seulement promis",
        "es": "solo prometido",
        "ko": "약속만",
    },
    "denied": {"en": "not done", "fr": "non réalisé", "es": "no realizado", "ko": "미이행"},
    "element": {"en": "Element", "fr": "Élément", "es": "Elemento", "ko": "요소"},
    "status": {"en": "Status", "fr": "Statut", "es": "Estado", "ko": "상태"},
    "strength": {"en": "Strength", "fr": "Force", "es": "Fuerza", "ko": "강도"},
    "evidence": {"en": "Evidence", "fr": "Éléments probants", "es": "Evidencia", "ko": "근거"},
    "rationale": {"en": "Why", "fr": "Pourquoi", "es": "Por qué", "ko": "판단 이유"},
    "set_aside": {
        "en": "Set aside as exemptions",
        "fr": "Écartés comme exemptions",
        "es": "Descartados como excepciones",
        "ko": "적용 제외로 제외됨",
    },
    "recommendation": {
        "en": "Recommendation",
        "fr": "Recommandation",
        "es": "Recomendación",
        "ko": "권고",
    },
    "summary": {
        "en": "Summary by stage",
        "fr": "Synthèse par étape",
        "es": "Resumen por etapa",
        "ko": "단계별 요약",
    },
    "gaps": {
        "en": "Gaps and recommendations",
        "fr": "Lacunes et recommandations",
        "es": "Lagunas y recomendaciones",
        "ko": "공백과 권고",
    },
    "findings": {"en": "Findings", "fr": "Constats", "es": "Hallazgos", "ko": "평가 결과"},
    "passages": {
        "en": "Cited passages",
        "fr": "Passages cités",
        "es": "Pasajes citados",
        "ko": "인용 조항",
    },
    "page": {"en": "page", "fr": "page", "es": "página", "ko": "쪽"},
    "n_pages": {"en": "{n} pages", "fr": "{n} pages", "es": "{n} páginas", "ko": "{n}쪽"},
    "n_passages": {
        "en": "{n} passages",
        "fr": "{n} passages",
        "es": "{n} pasajes",
        "ko": "조항 {n}개",
    },
    "skip": {
        "en": "Skip to content",
        "fr": "Aller au contenu",
        "es": "Saltar al contenido",
        "ko": "본문으로 건너뛰기",
    },
    "chart": {"en": "Chart", "fr": "Graphique", "es": "Gráfico", "ko": "그래프"},
    "total": {"en": "Total", "fr": "Total", "es": "Total", "ko": "합계"},
    "stage": {"en": "Stage", "fr": "Étape", "es": "Etapa", "ko": "단계"},
    "title": {
        "en": "UNGP check",
        "fr": "Examen au regard des Principes directeurs",
        "es": "Examen conforme a los Principios Rectores",
        "ko": "UNGP 점검",
    },
    "document": {"en": "Document", "fr": "Document", "es": "Documento", "ko": "문서"},
    "grid": {"en": "Grid", "fr": "Grille", "es": "Matriz", "ko": "평가표"},
    "language": {"en": "Language", "fr": "Langue", "es": "Idioma", "ko": "언어"},
    "warnings": {"en": "Notes", "fr": "Remarques", "es": "Notas", "ko": "참고"},
    "analyser": {"en": "Analyser", "fr": "Analyseur", "es": "Analizador", "ko": "분석기"},
    "none": {"en": "none", "fr": "aucun", "es": "ninguno", "ko": "없음"},
    "excluded": {
        "en": "Set aside as exemptions",
        "fr": "Écartés comme exemptions",
        "es": "Descartados como excepciones",
        "ko": "적용 제외로 제외됨",
    },
    "change": {"en": "Change", "fr": "Évolution", "es": "Cambio", "ko": "변화"},
    "new": {"en": "new", "fr": "nouveau", "es": "nuevo", "ko": "신설"},
    "lost": {"en": "lost", "fr": "perdu", "es": "perdido", "ko": "삭제"},
    "strengthened": {"en": "strengthened", "fr": "renforcé", "es": "reforzado", "ko": "강화"},
    "weakened": {"en": "weakened", "fr": "affaibli", "es": "debilitado", "ko": "약화"},
    "unchanged": {"en": "unchanged", "fr": "inchangé", "es": "sin cambios", "ko": "변화 없음"},
    "old": {"en": "Old draft", "fr": "Ancien projet", "es": "Borrador anterior", "ko": "이전 안"},
    "new_draft": {"en": "New draft", "fr": "Nouveau projet", "es": "Nuevo borrador", "ko": "새 안"},
    "overlap": {"en": "Overlap", "fr": "Chevauchement", "es": "Solapamiento", "ko": "중복"},
    "duplicated": {"en": "duplicated", "fr": "dupliqué", "es": "duplicado", "ko": "중복"},
    "divergent": {
        "en": "divergent strength",
        "fr": "force divergente",
        "es": "fuerza divergente",
        "ko": "강도 상이",
    },
    "single": {"en": "one law", "fr": "une seule loi", "es": "una sola ley", "ko": "단일 법률"},
}


def word(key: str, lang: str) -> str:
    """The word ``key`` in ``lang`` (English when missing, the key when unknown)."""
    entry = WORDS.get(key)
    if entry is None:
        return key
    return entry.get(lang, entry["en"])
