"""indexer.catalog: packaged rules, catalog precedence, symbol/date/language detection."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from indexer.catalog import load_catalogs, ordinal, resolve_meta
from indexer.detect import detect_date, detect_language, detect_symbol
from indexer.errors import CorpusError

SHARED = Path(__file__).resolve().parents[2] / "shared"
CORPUS = Path(__file__).resolve().parents[1] / "corpus"


@pytest.mark.parametrize("n, text", [(1, "1st"), (2, "2nd"), (3, "3rd"), (4, "4th"),
                                     (11, "11th"), (12, "12th"), (13, "13th"), (61, "61st"),
                                     (62, "62nd"), (63, "63rd"), (71, "71st"), (111, "111th")])
def test_ordinal(n: int, text: str) -> None:
    assert ordinal(n) == text


def test_speech_file_name(tmp_path: Path) -> None:
    path = tmp_path / "Session 76 - 2021" / "HRV_76_2021.txt"
    meta = resolve_meta(tmp_path, path, "Mr. President, ...")
    assert meta.doc_type == "general-debate-statement"
    assert (meta.state, meta.state_iso3, meta.session, meta.year) == ("Croatia", "HRV", 76, 2021)
    assert meta.publisher == "United Nations General Assembly"
    assert meta.title == ("Statement by Croatia, 76th session of the UN General Assembly "
                          "General Debate (2021)")
    assert meta.citation == ("Statement by Croatia, UN General Assembly, 76th session, "
                             "General Debate (2021)")
    assert meta.date is None and meta.url is None  # never invented


def test_speech_names_non_iso_speakers(tmp_path: Path) -> None:
    eu = resolve_meta(tmp_path, tmp_path / "EU_66_2011.txt", "")
    assert (eu.state, eu.state_iso3) == ("European Union", None)
    assert eu.citation.startswith("Statement by the European Union, UN General Assembly, 66th")
    bol = resolve_meta(tmp_path, tmp_path / "BOL_63_2008.txt", "")
    assert bol.state == "Bolivia (Plurinational State of)" and "63rd session" in bol.citation
    assert resolve_meta(tmp_path, tmp_path / "VAT_60_2005.txt", "").state == "Holy See"
    assert resolve_meta(tmp_path, tmp_path / "YUG_60_2005.txt", "").state == \
        "Serbia and Montenegro"


def test_resolution_file_name(tmp_path: Path) -> None:
    head = ("RESOLUTION 800 (1993)\n\nAdopted by the Security Council at its 3157th meeting,\n"
            "on 8 January 1993\n\nThe Security Council,\n\nRecalling its resolution 713 (1991) "
            "of 25 September 1991,")
    meta = resolve_meta(tmp_path, tmp_path / "S_RES_0800_1993_EN_GOLD.txt", head)
    assert meta.doc_type == "security-council-resolution"
    assert (meta.symbol, meta.citation, meta.year) == ("S/RES/800 (1993)", "S/RES/800 (1993)", 1993)
    assert meta.title == "Security Council resolution 800 (1993)"
    assert meta.date == "1993-01-08"
    assert meta.publisher == "United Nations Security Council"


def test_resolution_without_stated_date_gets_none(tmp_path: Path) -> None:
    # the date of a resolution it recalls is not its own
    head = "RESOLUTION 801 (1993)\nAdopted at its 3158th meeting, on January 1993\n\n" \
        "Recalling its resolution 660 of 2 August 1990"
    assert resolve_meta(tmp_path, tmp_path / "S_RES_0801_1993_EN_GOLD.txt", head).date is None
    # a heading OCR misread still dates it
    head = "Resolution 687 (1991)\nof 3 Apri] 1991\n\nRecalling its resolution 660 of 2 August 1990"
    meta = resolve_meta(tmp_path, tmp_path / "S_RES_0687_1991_EN_GOLD.txt", head)
    assert meta.date == "1991-04-03"


def _write(folder: Path, data: dict) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "catalog.json").write_text(json.dumps(data), encoding="utf-8")


def test_catalog_precedence(tmp_path: Path) -> None:
    _write(tmp_path, {"defaults": {"publisher": "Root", "doc_type": "report"},
                      "rules": [{"match": r"^memo_(?P<y>\d{4})", "fields": {"year": "{y}"}}],
                      "documents": {"sub/b.txt": {"title": "B from root"}}})
    _write(tmp_path / "sub", {"defaults": {"publisher": "Sub"},
                              "rules": [{"match": r"^memo_", "fields": {"notes": "memo"}}],
                              "documents": {"b.txt": {"title": "B from sub"}}})
    a = resolve_meta(tmp_path, tmp_path / "a.txt", "Some heading line\nbody")
    assert (a.publisher, a.doc_type, a.title) == ("Root", "report", "Some heading line")
    memo = resolve_meta(tmp_path, tmp_path / "sub" / "memo_2019.txt", "")
    assert (memo.publisher, memo.year, memo.notes, memo.title) == ("Sub", 2019, "memo", "memo_2019")
    b = resolve_meta(tmp_path, tmp_path / "sub" / "b.txt", "")
    assert b.title == "B from sub"  # nearer folder's per-file entry wins
    assert set(load_catalogs(tmp_path)) == {Path("."), Path("sub")}


def test_per_file_entry_beats_packaged_rule(tmp_path: Path) -> None:
    _write(tmp_path, {"documents": {"HRV_76_2021.txt": {"title": "My title", "year": 2020}}})
    meta = resolve_meta(tmp_path, tmp_path / "HRV_76_2021.txt", "")
    assert (meta.title, meta.year, meta.state_iso3) == ("My title", 2020, "HRV")


@pytest.mark.parametrize("data", [
    {"defaults": {"tittle": "typo"}}, {"rules": [{"match": "("}]},
    {"rules": [{"match": "x", "parser": "nope"}]}, ["not", "an", "object"],
])
def test_bad_catalog_raises_corpus_error(tmp_path: Path, data: object) -> None:
    (tmp_path / "catalog.json").write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(CorpusError):
        resolve_meta(tmp_path, tmp_path / "x.txt", "")


def test_title_fallback_skips_chrome_and_never_invents(tmp_path: Path) -> None:
    head = "Member Sign In\nPDF Print E-mail\nThe Real Title Here\n02 February 2011\n"
    meta = resolve_meta(tmp_path, tmp_path / "page.html", head)
    assert meta.title == "The Real Title Here"
    assert meta.date is None and meta.url is None
    assert resolve_meta(tmp_path, tmp_path / "empty_doc.txt", "").title == "empty_doc"


@pytest.mark.parametrize("text, symbol", [
    ("United Nations A/HRC/WG.6/34/ITA/3\n\nGeneral Assembly Distr.: General",
     "A/HRC/WG.6/34/ITA/3"),
    ("Distr.\nGENERAL\nA/RES/48/246\n11 May 1994\n[on the report (A/48/826/Add.1)]",
     "A/RES/48/246"),
    ("See the record A/48/PV.85.", "A/48/PV.85"), ("letter S/2011/123 refers", "S/2011/123"),
    ("E/CN.4/2005/L.10", "E/CN.4/2005/L.10"), ("S/RES/688 (1991)", "S/RES/688 (1991)"),
    ("Resolutions 5/1 and 16/21 of the Council", None),
])
def test_detect_symbol(text: str, symbol: str | None) -> None:
    assert detect_symbol(text) == symbol


@pytest.mark.parametrize("text, date", [
    ("Human Rights Council\n4–15 November 2019\nDistr.: General 12 August 2019", "2019-08-12"),
    ("adopted on 20 December 1993", "1993-12-20"), ("Distr. générale\n16 novembre 2009",
                                                    "2009-11-16"),
    ("11 de mayo de 1994", "1994-05-11"), ("no date here", None),
])
def test_detect_date(text: str, date: str | None) -> None:
    assert detect_date(text) == date


@pytest.mark.parametrize("text, date", [
    ("Resolution 687 (1991)\nof 3 Apri] 1991\n\nRecalling ... of 2 August 1990", "1991-04-03"),
    ("Resolution 638 (1989)\nof 3f July 1989", "1989-07-31"),
    # a year OCR misread is taken from the brackets
    ("Resolution 226 (1966)\nof 14 October £964", "1966-10-14"),
    # a month two characters off, or a day that is no number, is not guessed
    ("Resolution 10 (1946)\nof 4 Octbre 1946", None),
    ("Resolution 10 (1946)\nof x June 1946", None),
])
def test_a_resolution_heading_misread_by_ocr_still_dates_it(text: str, date: str | None) -> None:
    from indexer.detect import misread_heading_date

    assert misread_heading_date(text) == date


def test_detect_language() -> None:
    assert detect_language("The Council recalls that the State has the responsibility to "
                           "protect its population and is committed to it") == "en"
    assert detect_language("Le Conseil rappelle que la protection des populations est une "
                           "responsabilité de l'État et que les États sont") == "fr"
    assert detect_language("Совет по правам человека") == "ru"
    assert detect_language("12 34") is None


def test_real_un_pdfs_first_page() -> None:
    pdfs = SHARED / "pdfs" / "un"
    if not pdfs.is_dir():
        pytest.skip(f"shared data not found at {pdfs} (only present in the dev workspace)")
    pypdf = pytest.importorskip("pypdf")
    expected = {"ohchr_1": ("A/HRC/WG.6/34/ITA/3", "2019-08-14"),
                "ohchr_2": ("A/HRC/WG.6/7/ITA/1", "2009-11-16"),
                "plan_1": ("A/RES/48/246", "1994-05-11"), "plan_2": ("A/RES/48/161", "1994-01-21")}
    langs = {"en": "en", "ru": "ru", "fr": "fr", "es": "es"}
    for pdf in sorted(pdfs.glob("*.pdf")):
        stem, lang = pdf.stem.rsplit("_", 1)
        head = pypdf.PdfReader(pdf).pages[0].extract_text()
        assert (detect_symbol(head), detect_date(head)) == expected[stem], pdf.name
        assert detect_language(head) == langs[lang], pdf.name
        meta = resolve_meta(pdfs, pdf, head)
        assert (meta.symbol, meta.date, meta.year) == (*expected[stem], int(expected[stem][1][:4]))


def test_real_speech_and_resolution_files() -> None:
    speeches = SHARED / "corpus" / "ungdc-r2p"
    resolutions = SHARED / "corpus" / "unsc-resolutions-1946-2002"
    if not speeches.is_dir() or not resolutions.is_dir():
        pytest.skip(f"shared corpora not found under {SHARED / 'corpus'}")
    files = sorted(speeches.rglob("*.txt"))
    metas = [resolve_meta(speeches, p, "") for p in files]
    assert len(metas) == 273
    assert all(m.doc_type == "general-debate-statement" and m.state for m in metas)
    path = resolutions / "S_RES_0688_1991_EN_GOLD.txt"
    meta = resolve_meta(resolutions, path, path.read_text(encoding="utf-8")[:3000])
    assert (meta.symbol, meta.date) == ("S/RES/688 (1991)", "1991-04-05")


def test_seed_catalog() -> None:
    metas = {p.name[:3]: resolve_meta(CORPUS, p, p.read_text(encoding="utf-8")[:3000])
             for p in sorted(CORPUS.glob("*.txt"))}
    assert metas["000"].date == "2011-02-02" and metas["000"].doc_type == "ngo-page"
    assert metas["003"].doc_type == "blog-post" and "Megan Schmidt" in metas["003"].notes
    assert all(m.url is None for m in metas.values())
    assert metas["002"].date is None and metas["003"].date is None
    assert {m.publisher for m in metas.values()} == {
        "International Coalition for the Responsibility to Protect"}


def test_masthead_detection_fills_only_missing_fields(tmp_path: Path) -> None:
    _write(tmp_path, {"defaults": {"doc_type": "secretary-general-report"},
                      "documents": {"b.pdf": {"date": "2009-01-12"}}})
    head = "United Nations A/63/677\nGeneral Assembly Distr.: General\n12 January 2009\n"
    a = resolve_meta(tmp_path, tmp_path / "a.pdf", head)
    assert (a.symbol, a.date, a.year) == ("A/63/677", "2009-01-12", 2009)
    b = resolve_meta(tmp_path, tmp_path / "b.pdf", head.replace("12 January", "1 March"))
    assert (b.symbol, b.date) == ("A/63/677", "2009-01-12")
    speech = resolve_meta(tmp_path, tmp_path / "HRV_76_2021.txt", "Recalling A/RES/60/1 ...")
    assert speech.symbol is None


def test_a_un_document_is_titled_by_what_its_masthead_leaves() -> None:
    from indexer.detect import un_document_title

    head = ("UNITED                    AUNITED          A\nNATIONSNATIONS\n\n"
            "      General Assembly\n                          Distr.\n       GENERAL\n\n"
            "                       A/RES/48/246\n                     11 May 1994\n\n\n"
            "Forty-eighth session\nAgenda item 165\n\n"
            "      RESOLUTION ADOPTED BY THE GENERAL ASSEMBLY\n\n"
            "  [on the report of the Fifth Committee (A/48/826/Add.1)]\n\n\n"
            "   48/246. Financing of the United Nations Mission in Haiti\n\n"
            "   The General Assembly,\n")
    assert un_document_title(head) == "Financing of the United Nations Mission in Haiti"
    assert un_document_title("UNITED NATIONS\n\nDistr.: General\n14 August 2019\n") is None


def test_real_un_pdfs_titles() -> None:
    pdfs = SHARED / "pdfs" / "un"
    if not pdfs.is_dir():
        pytest.skip(f"shared data not found at {pdfs} (only present in the dev workspace)")
    from indexer.detect import un_document_title
    from indexer.load import load

    titles = {"ohchr_1_en": "Summary of Stakeholders’ submissions on Italy",
              "ohchr_2_en": "NATIONAL REPORT SUBMITTED IN ACCORDANCE WITH PARAGRAPH 15 (A) OF THE "
                            "ANNEX TO HUMAN RIGHTS COUNCIL RESOLUTION 5/1",
              "plan_1_en": "Financing of the United Nations Mission in Haiti"}
    for stem, title in titles.items():
        assert un_document_title(load(pdfs / f"{stem}.pdf").text[:3000]) == title, stem
    plan_2 = un_document_title(load(pdfs / "plan_2_en.pdf").text[:3000])
    assert plan_2.startswith("The situation in Central America: procedures for the")
