"""Ready-to-paste citations built from a document's metadata and a chunk's locators only."""

from __future__ import annotations

import re

from indexer.catalog import ordinal
from indexer.models import DocMeta

_MONTHS = ("January February March April May June July August September October November "
           "December").split()
_BIBTEX_SPECIAL = re.compile(r"([\\{}&%$#_~^])")


def human_date(date: str | None) -> str | None:
    """"2011-02-02" -> "2 February 2011", "2011-02" -> "February 2011", "2011" -> "2011"."""
    if not date:
        return None
    m = re.fullmatch(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", date.strip())
    if not m:
        return date
    year, month, day = m.groups()
    if not month or not 1 <= int(month) <= 12:
        return year
    words = [str(int(day))] if day else []
    return " ".join([*words, _MONTHS[int(month) - 1], year])


def paragraph_label(paragraph: str | None, *, oscola: bool = False) -> str | None:
    """ "3" -> "para. 3", "PP2" -> "preambular para. 2", "OP4" -> "para. 4"."""
    if not paragraph:
        return None
    para = "para" if oscola else "para."
    m = re.fullmatch(r"(PP|OP)?\s*(\S+)", paragraph.strip(), re.IGNORECASE)
    if m and m.group(1) and m.group(1).upper() == "PP":
        return f"preambular {para} {m.group(2)}"
    return f"{para} {m.group(2) if m else paragraph}"


def _page(page_label: str | None, page: int | None, *, oscola: bool = False) -> str | None:
    label = page_label or (str(page) if page is not None else None)
    if label is None:
        return None
    return label if oscola else f"p. {label}"


def _session(meta: DocMeta) -> str:
    return f"{ordinal(meta.session)} session" if meta.session is not None else ""


def base_citation(meta: DocMeta) -> str:
    """The document part of a citation, without pinpoint."""
    if meta.citation:
        return meta.citation
    if meta.symbol:
        return meta.symbol
    if meta.doc_type == "general-debate-statement" and meta.state:
        parts = [f"Statement by {meta.state}", "UN General Assembly", _session(meta)]
        tail = f"General Debate ({meta.year})" if meta.year else "General Debate"
        return ", ".join(p for p in (*parts, tail) if p)
    when = human_date(meta.date) or (str(meta.year) if meta.year else None)
    title = f"'{meta.title}'" + (f" ({when})" if when else "")
    return f"{meta.publisher}, {title}" if meta.publisher else title


def cite(meta: DocMeta, *, page_label: str | None = None, page: int | None = None,
         paragraph: str | None = None) -> str:
    """Citation with pinpoint: "S/RES/688 (1991), para. 3", "A/HRC/.../3, para. 12, p. 3"."""
    parts = [base_citation(meta), paragraph_label(paragraph), _page(page_label, page)]
    return ", ".join(p for p in parts if p)


def _un_body(meta: DocMeta) -> str:
    publisher = meta.publisher or ""
    for long, short in (("United Nations General Assembly", "UNGA"),
                        ("United Nations Security Council", "UNSC"),
                        ("United Nations", "UN")):
        publisher = publisher.replace(long, short)
    return publisher or "UN"


def oscola(meta: DocMeta, *, page_label: str | None = None, page: int | None = None,
           paragraph: str | None = None) -> str:
    """The citation in OSCOLA style (no closing full stop, pinpoints as "para 3", "12")."""
    when = human_date(meta.date) or (str(meta.year) if meta.year else None)
    # OSCOLA pinpoints one place: the paragraph if known, else the bare page number.
    pin = paragraph_label(paragraph, oscola=True) or _page(page_label, page, oscola=True)
    res = re.fullmatch(r"([AS])/RES/([\w/.-]+?)(?: \((\d{4})\))?", meta.symbol or "")
    if res:
        body = "UNSC" if res.group(1) == "S" else "UNGA"
        when = when or res.group(3)
        head = f"{body} Res {res.group(2)}" + (f" ({when})" if when else "")
        text = f"{head} UN Doc {meta.symbol.split(' (')[0]}"
    elif meta.doc_type == "general-debate-statement" and meta.state:
        session = _session(meta)
        text = f"{meta.state}, Statement to the UN General Assembly General Debate " + \
            f"({', '.join(p for p in (session, when) if p)})"
        text += f" UN Doc {meta.symbol}" if meta.symbol else ""
    elif meta.symbol:
        text = f"{_un_body(meta)}, '{meta.title}'" + (f" ({when})" if when else "")
        text += f" UN Doc {meta.symbol}"
    else:
        author = f"{meta.publisher}, " if meta.publisher else ""
        text = f"{author}'{meta.title}'" + (f" ({when})" if when else "")
        text += f" <{meta.url}>" if meta.url else ""
    return f"{text}, {pin}" if pin else text


def bibtex_escape(text: str) -> str:
    """Escape LaTeX/BibTeX special characters, braces included."""
    return _BIBTEX_SPECIAL.sub(
        lambda m: r"\textbackslash{}" if m.group(1) == "\\" else
        (r"\textasciitilde{}" if m.group(1) == "~" else
         r"\textasciicircum{}" if m.group(1) == "^" else "\\" + m.group(1)), text)


def bibtex(meta: DocMeta, key: str, *, page_label: str | None = None, page: int | None = None,
           paragraph: str | None = None) -> str:
    """A BibTeX entry: @techreport for documents with a UN symbol, else @misc."""
    key = re.sub(r"[^A-Za-z0-9_:-]+", "-", key).strip("-") or "doc"
    kind = "techreport" if meta.symbol else "misc"
    fields: list[tuple[str, str]] = [("title", meta.title)]
    author = meta.state if meta.doc_type == "general-debate-statement" else meta.publisher
    if author:
        fields.append(("author", author))  # corporate author: wrapped in an extra brace pair
    if kind == "techreport":
        fields += [("institution", meta.publisher or "United Nations"), ("number", meta.symbol)]
        if meta.doc_type != "document":
            fields.append(("type", meta.doc_type.replace("-", " ")))
    elif meta.publisher:
        fields.append(("howpublished", meta.publisher))
    if meta.year:
        fields.append(("year", str(meta.year)))
    if meta.date:
        fields.append(("date", meta.date))
    if meta.url:
        fields.append(("url", meta.url))
    pin = ", ".join(p for p in (paragraph_label(paragraph), _page(page_label, page)) if p)
    note = "; ".join(p for p in (meta.citation, pin) if p)
    if note:
        fields.append(("note", note))
    if meta.language:
        fields.append(("language", meta.language))
    lines = [f"@{kind}{{{key},"]
    for name, value in fields:
        if value is None:
            continue
        escaped = value if name in {"url", "date", "year"} else bibtex_escape(value)
        braced = f"{{{{{escaped}}}}}" if name == "author" else f"{{{escaped}}}"
        lines.append(f"  {name} = {braced},")
    lines.append("}")
    return "\n".join(lines)
