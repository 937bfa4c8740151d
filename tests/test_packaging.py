"""The package installs what it imports, and its parts depend on each other one way (issue 10).

A real fresh venv would have to install torch (minutes, gigabytes), so two cheaper proofs
stand in for it: every third-party import of the runtime packages is declared in
[project.dependencies], and the indexer reads txt, md, html, pdf and docx in a subprocess that
can import only what those dependencies pull in (their transitive closure, extras left out).
"""

from __future__ import annotations

import ast
import importlib.metadata as md
import re
import subprocess
import sys
import textwrap
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())
RUNTIME = ["indexer", "search_api", "ui", "rtop_search"]
OURS = {"indexer", "search_api", "ui", "eval", "rtop_search"}


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def requirement_name(spec: str) -> tuple[str, set[str]]:
    match = re.match(r"\s*([A-Za-z0-9_.-]+)\s*(?:\[([^\]]*)\])?", spec)
    assert match, spec
    extras = {canonical(e) for e in (match.group(2) or "").split(",") if e.strip()}
    return canonical(match.group(1)), extras


def declared(group: str | None = None) -> set[str]:
    specs = (PYPROJECT["project"]["dependencies"] if group is None
             else PYPROJECT["project"]["optional-dependencies"][group])
    return {requirement_name(s)[0] for s in specs}


def imports_of(package: str) -> dict[str, set[str]]:
    """Top-level module -> files of ``package`` importing it (every import, lazy ones too)."""
    found: dict[str, set[str]] = {}
    for path in (ROOT / package).rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                found.setdefault(name.split(".")[0], set()).add(str(path.relative_to(ROOT)))
    return found


def third_party(modules: dict[str, set[str]]) -> dict[str, set[str]]:
    return {m: f for m, f in modules.items()
            if m not in OURS and m not in sys.stdlib_module_names and m != "__future__"}


def test_every_runtime_import_is_a_declared_dependency():
    providers = md.packages_distributions()
    runtime = declared()
    problems = []
    for package in RUNTIME:
        for module, files in third_party(imports_of(package)).items():
            dists = {canonical(d) for d in providers.get(module, [])}
            if not dists & runtime:
                problems.append(f"{module} (from {sorted(dists) or 'nothing installed'}) "
                                f"imported by {sorted(files)}")
    assert not problems, "undeclared runtime imports:\n" + "\n".join(problems)


def test_what_only_eval_needs_is_the_eval_extra():
    eval_only = {"matplotlib", "psutil"}
    assert eval_only <= declared("eval") and not eval_only & declared()
    for package in RUNTIME:
        assert not eval_only & set(imports_of(package)), package
    providers = md.packages_distributions()
    everything = declared() | declared("eval")
    for module in third_party(imports_of("eval")):
        assert {canonical(d) for d in providers.get(module, [])} & everything, module


@pytest.mark.parametrize("package, forbidden", [
    ("indexer", {"search_api", "ui", "eval", "rtop_search"}),
    ("search_api", {"ui", "eval", "rtop_search"}),
    ("ui", {"eval", "rtop_search"}),
    ("eval", {"ui", "rtop_search"}),
])
def test_dependencies_run_one_way(package, forbidden):
    wrong = {m: sorted(f) for m, f in imports_of(package).items() if m in forbidden}
    assert not wrong, f"{package} imports {wrong}"


def test_settings_and_status_codes_live_at_the_api_edge():
    from indexer import errors
    from indexer.settings import Settings

    assert not {"api_key", "cors_origins", "upload_dir", "max_upload_mb", "host", "port"} & set(
        Settings.model_fields)
    assert not [n for n, c in vars(errors).items() if isinstance(c, type) and "status" in vars(c)]
    scripts = PYPROJECT["project"]["scripts"]
    assert scripts == {"rtop-search": "rtop_search.cli:app"}


def runtime_closure() -> set[str]:
    """Distributions [project.dependencies] installs, following requirements (with extras)."""
    from packaging.requirements import Requirement

    todo = [requirement_name(s) for s in PYPROJECT["project"]["dependencies"]]
    seen: set[str] = set()
    while todo:
        name, extras = todo.pop()
        key = name + "[" + ",".join(sorted(extras)) + "]"
        if key in seen:
            continue
        seen.add(key)
        try:
            requires = md.distribution(name).requires or []
        except md.PackageNotFoundError:
            continue
        for spec in requires:
            req = Requirement(spec)
            if req.marker is None or any(req.marker.evaluate({"extra": e})
                                         for e in extras | {""}):
                todo.append((canonical(req.name), {canonical(e) for e in req.extras}))
    return {k.split("[")[0] for k in seen}


LOADER = textwrap.dedent("""
    import importlib.abc, json, sys
    allowed, folder = set(json.loads(sys.argv[1])), sys.argv[2]

    class OnlyDeclared(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path=None, target=None):
            top = name.split(".")[0]
            if top in BLOCKED:
                raise ModuleNotFoundError(f"No module named {top!r} (not a runtime dependency)")
            return None

    BLOCKED = set(json.loads(sys.argv[3])) - allowed
    sys.meta_path.insert(0, OnlyDeclared())
    from pathlib import Path
    from indexer.embed import HashEmbedder
    from indexer.pipeline import build_index
    report = build_index([Path(folder)], Path(folder) / ".." / "index", HashEmbedder())
    print(json.dumps({"failed": report.failed, "added": sorted(report.added)}))
""")


def test_a_plain_install_reads_every_accepted_format(tmp_path):
    import docx
    from fpdf import FPDF

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    text = "Ghana named a national focal point for the Responsibility to Protect in 2011."
    (corpus / "a.txt").write_text(text)
    (corpus / "b.md").write_text(f"# Focal points\n\n{text}\n")
    (corpus / "c.html").write_text(f"<html><head><title>Focal points</title></head><body>"
                                   f"<main><h1>Focal points</h1><p>{text}</p><p>{text} "
                                   f"Again.</p></main></body></html>")
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.multi_cell(0, 10, text)
    pdf.output(str(corpus / "d.pdf"))
    document = docx.Document()
    document.add_paragraph(text)
    document.save(str(corpus / "e.docx"))

    providers = md.packages_distributions()
    closure = runtime_closure()
    allowed = {m for m, dists in providers.items() if {canonical(d) for d in dists} & closure}
    installed = set(providers) - OURS
    result = subprocess.run([sys.executable, "-c", LOADER, _json(allowed), str(corpus),
                             _json(installed)], cwd=ROOT, capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    import json

    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["failed"] == [] and report["added"] == ["a", "b", "c", "d", "e"], report


def _json(names: set[str]) -> str:
    import json

    return json.dumps(sorted(names))
