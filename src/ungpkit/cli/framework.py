"""``ungpkit framework``: list, show, validate and export the framework data."""

from __future__ import annotations

import json
from pathlib import Path

import click
from rich.markup import escape
from rich.table import Table

from ungpkit.cli.labels import heading
from ungpkit.cli.output import LANG_OPTION, console, fail
from ungpkit.framework import Framework, FrameworkError, default_framework, load_framework
from ungpkit.framework.models import (
    Element,
    Grid,
    Pillar,
    Principle,
    Right,
    Term,
    Vocabulary,
)

KINDS = ("principles", "rights", "grids", "elements", "vocabularies")


@click.group()
def framework() -> None:
    """Browse and validate the framework: principles, rights, grids, vocabularies."""


@framework.command("list")
@click.option(
    "--kind",
    type=click.Choice(KINDS),
    help="List only this kind of entry (default: a summary of everything).",
)
@click.option("--grid", "grid_id", help="List the elements of this grid.")
@LANG_OPTION
def list_command(kind: str | None, grid_id: str | None, lang: str) -> None:
    """List the ids and titles of the framework entries."""
    fw = _framework()
    if grid_id:
        kind = "elements"
    table = Table(show_header=True, header_style="bold", box=None, pad_edge=False)
    table.add_column("id", style="cyan", no_wrap=True)
    table.add_column("title")
    for entry_id, title in _rows(fw, kind, grid_id, lang):
        table.add_row(entry_id, escape(title))
    console.print(table)


def _rows(fw: Framework, kind: str | None, grid_id: str | None, lang: str) -> list[tuple[str, str]]:
    if kind == "principles":
        return [(p.id, p.title.get(lang)) for p in fw.principles]
    if kind == "rights":
        return [(r.id, r.label.get(lang)) for r in fw.rights]
    if kind == "grids":
        return [(g.id, f"{g.title.get(lang)} ({len(g.elements)})") for g in fw.grids]
    if kind == "vocabularies":
        return [(v.id, f"{v.title.get(lang)} ({len(v.terms)})") for v in fw.vocabularies]
    if kind == "elements":
        grids = [_grid(fw, grid_id)] if grid_id else fw.grids
        return [(e.id, e.title.get(lang)) for g in grids for e in g.elements]
    rows = [(p.id, p.title.get(lang)) for p in fw.principles]
    rows += [(r.id, r.label.get(lang)) for r in fw.rights]
    rows += [(g.id, f"{g.title.get(lang)} ({len(g.elements)})") for g in fw.grids]
    rows += [(v.id, f"{v.title.get(lang)} ({len(v.terms)})") for v in fw.vocabularies]
    return rows


@framework.command()
@click.argument("entry_id", metavar="ID")
@LANG_OPTION
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
def show(entry_id: str, lang: str, fmt: str) -> None:
    """Show one principle, right, grid, element, vocabulary or term, e.g. `reg.mix.guidance`."""
    fw = _framework()
    try:
        entry = fw.get(entry_id)
    except KeyError:
        close = [e.id for e in fw.entries() if entry_id.lower() in e.id.lower()][:8]
        hint = f" Did you mean: {', '.join(close)}?" if close else ""
        fail(
            f"There is no framework entry with id {entry_id!r}.{hint} "
            "Run `ungpkit framework list` to see every id."
        )
        return
    if fmt == "json":
        console.print_json(json.dumps(entry.model_dump(exclude_none=True), ensure_ascii=False))
        return
    _show(fw, entry, lang)


def _show(fw: Framework, entry: object, lang: str) -> None:
    if isinstance(entry, Element):
        _show_element(fw, entry, lang)
    elif isinstance(entry, Principle):
        pillar = next(p for p in fw.pillars if p.id == entry.pillar)
        _title(entry.id.upper(), entry.title.get(lang))
        _field(heading("pillar", lang), f"{pillar.number}. {pillar.title.get(lang)}")
        _field(heading("summary", lang), entry.summary.get(lang))
    elif isinstance(entry, Right):
        _title(entry.id, entry.label.get(lang))
        _field(heading("description", lang), entry.description.get(lang))
        refs = "; ".join(f"{i.instrument} {i.article}" for i in entry.instruments)
        _field(heading("instruments", lang), refs)
        if entry.tech_examples:
            _field(heading("examples", lang), entry.tech_examples.get(lang))
    elif isinstance(entry, Grid):
        _show_grid(entry, lang)
    elif isinstance(entry, Vocabulary):
        _title(entry.id, entry.title.get(lang))
        if entry.description:
            _field(heading("description", lang), entry.description.get(lang))
        for term in entry.terms:
            console.print(f"  [cyan]{term.id}[/]  {escape(term.label.get(lang))}")
    elif isinstance(entry, Term | Pillar):
        label = entry.label if isinstance(entry, Term) else entry.title
        _title(entry.id, label.get(lang))
        description = getattr(entry, "description", None)
        if description:
            _field(heading("description", lang), description.get(lang))


def _show_element(fw: Framework, element: Element, lang: str) -> None:
    grid = fw.grid_of(element.id)
    _title(element.id, element.title.get(lang))
    _field(heading("grid", lang), f"{grid.id}: {grid.title.get(lang)}")
    _field(heading("stage", lang), grid.stage(element.stage).title.get(lang))
    _field(heading("meets", lang), element.meets.get(lang))
    _field(heading("partial", lang), element.partial.get(lang))
    _field(heading("recommendation", lang), element.recommendation.get(lang))
    principles = [fw.principle(ref) for ref in element.ungp]
    _field(
        heading("ungp", lang), "; ".join(f"{p.id.upper()} {p.title.get(lang)}" for p in principles)
    )
    if element.rights:
        _field(
            heading("rights", lang), "; ".join(fw.right(r).label.get(lang) for r in element.rights)
        )
    _field(heading("cues", lang), " · ".join(element.cues.get(lang)))
    for facet in element.facets:
        _field(
            f"{heading('facets', lang)}: {facet.label.get(lang)}", " · ".join(facet.cues.get(lang))
        )


def _show_grid(grid: Grid, lang: str) -> None:
    _title(grid.id, grid.title.get(lang))
    _field(heading("description", lang), grid.description.get(lang))
    for stage in grid.stages:
        console.print(f"\n[bold]{escape(stage.title.get(lang))}[/]")
        for element in grid.elements:
            if element.stage == stage.id:
                console.print(f"  [cyan]{element.id}[/]  {escape(element.title.get(lang))}")


def _title(entry_id: str, title: str) -> None:
    console.print(f"[bold]{escape(title)}[/]  [dim]{escape(entry_id)}[/]")


def _field(name: str, value: str) -> None:
    console.print(f"\n[bold cyan]{escape(name)}[/]\n{escape(value)}")


@framework.command()
@click.argument(
    "directory",
    required=False,
    type=click.Path(file_okay=False, path_type=Path),
)
def validate(directory: Path | None) -> None:
    """Validate a framework directory (the shipped data by default).

    DIRECTORY holds principles.yaml, rights.yaml, vocabularies.yaml and grids/*.yaml.
    Every problem is printed with its file, line, place and what is wrong.
    """
    try:
        fw = load_framework(directory)
    except FrameworkError as exc:
        fail(str(exc))
        return
    elements = sum(len(g.elements) for g in fw.grids)
    console.print(
        f"[green]Valid.[/] {len(fw.principles)} principles, {len(fw.rights)} rights, "
        f"{len(fw.grids)} grids with {elements} elements, {len(fw.vocabularies)} vocabularies."
    )


@framework.command()
@click.option("--format", "fmt", type=click.Choice(["json"]), default="json", show_default=True)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write to this file instead of standard output.",
)
def export(fmt: str, output: Path | None) -> None:
    """Export the whole framework as one JSON document for other tools."""
    from ungpkit import __version__

    document = {
        "ungpkit_version": __version__,
        "schema": "ungpkit.framework/1",
        **_framework().to_dict(),
    }
    text = json.dumps(document, ensure_ascii=False, indent=2)
    if output:
        output.write_text(text + "\n", encoding="utf-8")
        console.print(f"Wrote {output}")
    else:
        click.echo(text)


def _framework() -> Framework:
    try:
        return default_framework()
    except FrameworkError as exc:
        fail(str(exc))
        raise


def _grid(fw: Framework, grid_id: str | None) -> Grid:
    try:
        return fw.grid(grid_id or "")
    except KeyError as exc:
        fail(str(exc.args[0]))
        raise
