"""``ungpkit check``, ``compare`` and ``overlap``: the UNGP check of laws from the terminal."""

from __future__ import annotations

from pathlib import Path

import click

from ungpkit.analysis import Assessment, UnsupportedLanguage, compare, overlap
from ungpkit.analysis.rationale import in_language
from ungpkit.cli.output import console, errors, fail, progress_bar
from ungpkit.documents import DocumentError, ReadLimits, read_document
from ungpkit.documents.language import contradicting, language_name
from ungpkit.framework import FrameworkError, Grid, default_framework
from ungpkit.reports import FORMATS, render
from ungpkit.reports import text as text_view

FILE = click.Path(exists=True, dir_okay=False, path_type=Path)
PROGRESS_THRESHOLD = 400
"""Show a progress bar for documents with more passages than this."""


def _options(function):  # type: ignore[no-untyped-def]
    options = [
        click.option(
            "--grid",
            "grid_id",
            default="regulation",
            show_default=True,
            help="Assessment grid (see `ungpkit framework list --kind grids`).",
        ),
        click.option(
            "--lang",
            "-l",
            type=click.Choice(["en", "fr", "es", "ko"]),
            help="Language of the document (default: detected) and of the report.",
        ),
        click.option(
            "--report-lang",
            type=click.Choice(["en", "fr", "es", "ko"]),
            help="Language of the report, when it is not the document's (a French reader of "
            "an English law: --report-lang fr).",
        ),
        click.option(
            "--format",
            "-f",
            "fmt",
            type=click.Choice(FORMATS),
            help="Output format (default: from the extension of -o, else text).",
        ),
        click.option(
            "-o",
            "--output",
            type=click.Path(dir_okay=False, path_type=Path),
            help="Write the report to this file instead of the terminal.",
        ),
        click.option(
            "--max-bytes",
            type=click.IntRange(min=1),
            default=50 * 1024 * 1024,
            show_default=True,
            envvar="UNGPKIT_MAX_UPLOAD_BYTES",
            help="Refuse input files larger than this.",
        ),
        click.option(
            "--max-pages",
            type=click.IntRange(min=1),
            envvar="UNGPKIT_MAX_PAGES",
            help="Refuse PDFs with more pages [default: 3000]. Other limits: docs/cli.md.",
        ),
    ]
    for option in reversed(options):
        function = option(function)
    return function


def _grid(grid_id: str) -> Grid:
    try:
        return default_framework().grid(grid_id)
    except (KeyError, FrameworkError) as exc:
        fail(str(exc.args[0]) if isinstance(exc, KeyError) else str(exc))
        raise


def _limits(max_bytes: int, max_pages: int | None) -> ReadLimits:
    from ungpkit.config import ConfigError, read_limits

    try:
        return read_limits(max_bytes=max_bytes, max_pages=max_pages)
    except ConfigError as exc:
        fail("; ".join(exc.problems))
        raise


def _assess_file(path: Path, grid: Grid, lang: str | None, limits: ReadLimits) -> Assessment:
    try:
        document = read_document(path, limits=limits, language=lang)
    except DocumentError as exc:
        fail(f"{path.name}: {exc.message}")
        raise
    found = contradicting(lang, document.text) if lang else None
    if found is not None and lang is not None:
        fail(
            f"{path.name}: --lang {lang} asks to read the document as {language_name(lang)}, but "
            f"its text is in {language_name(found.code)}: read with {language_name(lang)} cues it "
            f"would show almost every element absent. Leave out --lang (the language is detected "
            f"and the report is written in it), or pass --lang {found.code}."
        )
    show = len(document.passages) > PROGRESS_THRESHOLD
    with progress_bar(f"Checking {path.name}", show) as advance:
        from ungpkit.reporting import check_document

        try:
            return check_document(document, grid, lang=lang, progress=advance)
        except UnsupportedLanguage as exc:
            fail(f"{path.name}: {exc}")
            raise


EXTENSIONS = {".json": "json", ".csv": "csv", ".html": "html", ".htm": "html", ".md": "md"}
EXTENSIONS |= {".txt": "text", ".text": "text"}
"""The format an output file's extension asks for."""


def _output_format(fmt: str | None, output: Path | None, inputs: tuple[Path, ...]) -> str:
    """The format to write: as given, else the one the output's extension names, else text.

    Refuses an output that is one of the inputs (the law would be lost) and a format that
    contradicts the output's extension (a JSON file named .html opens as garbage).
    """
    if output is not None:
        for path in inputs:
            if output.exists() and output.resolve() == path.resolve():
                fail(
                    f"-o {output} is the document being checked: writing the report there "
                    "would replace it. Choose another file name."
                )
    named = EXTENSIONS.get(output.suffix.lower()) if output is not None else None
    if fmt is None:
        return named or "text"
    if named is not None and named != fmt:
        fail(
            f"--format {fmt} does not match the extension of -o {output.name} ({named}). "
            f"Leave out --format to write {named}, or name the file for {fmt}."
        )
    return fmt


def _emit(result, grid: Grid, fmt: str, lang: str, output: Path | None, view) -> None:  # type: ignore[no-untyped-def]
    if fmt == "text" and output is None:
        console.print(view(result, grid, lang))
        return
    rendered = render(result, grid, fmt, lang)
    if output is None:
        click.echo(rendered, nl=False)
        return
    try:
        # A file name that is not valid UTF-8 (quoted in the report) gets "?" there.
        output.write_text(rendered, encoding="utf-8", errors="replace")
    except OSError as exc:
        fail(f"Cannot write {output}: {exc.strerror}.")
    errors.print(f"Wrote {output}")


@click.command()
@click.argument("file", type=FILE)
@_options
def check(
    file: Path,
    grid_id: str,
    lang: str | None,
    report_lang: str | None,
    fmt: str | None,
    output: Path | None,
    max_bytes: int,
    max_pages: int | None,
) -> None:
    """Check a law or draft (PDF, DOCX, HTML, Markdown, text) against a grid of the UNGPs.

    Every element of the grid gets a status (met, partial, absent), the strength of the
    obligation, the passages that support it and a rationale; gaps get a recommendation.
    """
    chosen = _output_format(fmt, output, (file,))
    grid = _grid(grid_id)
    assessment = _assess_file(file, grid, lang, _limits(max_bytes, max_pages))
    reader = report_lang or lang or assessment.lang
    assessment = in_language(assessment, grid, reader)
    _emit(assessment, grid, chosen, reader, output, text_view.assessment_view)


@click.command("compare")
@click.argument("old", type=FILE)
@click.argument("new", type=FILE)
@_options
def compare_command(
    old: Path,
    new: Path,
    grid_id: str,
    lang: str | None,
    report_lang: str | None,
    fmt: str | None,
    output: Path | None,
    max_bytes: int,
    max_pages: int | None,
) -> None:
    """What changed between two drafts, element by element (new, lost, strengthened, weakened)."""
    chosen = _output_format(fmt, output, (old, new))
    grid = _grid(grid_id)
    limits = _limits(max_bytes, max_pages)
    before = _assess_file(old, grid, lang, limits)
    after = _assess_file(new, grid, lang, limits)
    reader = report_lang or lang or after.lang
    _emit(
        compare(in_language(before, grid, reader), in_language(after, grid, reader)),
        grid,
        chosen,
        reader,
        output,
        text_view.comparison_view,
    )


@click.command("overlap")
@click.argument("files", type=FILE, nargs=-1, required=True)
@_options
def overlap_command(
    files: tuple[Path, ...],
    grid_id: str,
    lang: str | None,
    report_lang: str | None,
    fmt: str | None,
    output: Path | None,
    max_bytes: int,
    max_pages: int | None,
) -> None:
    """Where several laws impose the same kind of obligation: a table of element × law."""
    if len(files) < 2:
        fail("Give at least two files to compare for overlap.")
    chosen = _output_format(fmt, output, files)
    grid = _grid(grid_id)
    limits = _limits(max_bytes, max_pages)
    assessments = [_assess_file(path, grid, lang, limits) for path in files]
    reader = report_lang or lang or assessments[0].lang
    _emit(
        overlap([in_language(a, grid, reader) for a in assessments]),
        grid,
        chosen,
        reader,
        output,
        text_view.overlap_view,
    )
