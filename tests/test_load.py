"""load(): every supported format, and every bad file raising the right error with a hint."""

from __future__ import annotations

from pathlib import Path

import pytest
from fpdf import FPDF

from indexer.errors import (
    CorruptFileError,
    EmptyDocumentError,
    EncryptedPdfError,
    ScannedPdfError,
    UnsupportedFormatError,
)
from indexer.load import SUPPORTED_SUFFIXES, load, ocr_noise


def make_pdf(path: Path, pages: list[str], *, password: str | None = None) -> Path:
    pdf = FPDF()
    pdf.set_font("Helvetica", size=11)
    for body in pages:
        pdf.add_page()
        pdf.multi_cell(0, 6, body)
    if password:
        pdf.set_encryption(owner_password="owner", user_password=password)
    pdf.output(str(path))
    return path


def test_supported_suffixes():
    assert SUPPORTED_SUFFIXES == {".txt", ".md", ".html", ".htm", ".pdf", ".docx"}


def test_txt_utf8_and_cp1252(tmp_path):
    (tmp_path / "a.txt").write_text("Côte d’Ivoire\n", encoding="utf-8")
    assert load(tmp_path / "a.txt").text == "Côte d’Ivoire\n"
    (tmp_path / "b.md").write_bytes("caf\xe9 \x93quoted\x94".encode("latin-1"))
    doc = load(tmp_path / "b.md")
    assert doc.text == "café “quoted”" and doc.fmt == "md"


def test_utf8_bom_is_dropped(tmp_path):
    (tmp_path / "a.txt").write_bytes("\ufeffHello".encode())
    assert load(tmp_path / "a.txt").text == "Hello"


def test_undecodable_text(tmp_path):
    # 0x81 is undefined in cp1252 and invalid as a UTF-8 start byte
    (tmp_path / "bad.txt").write_bytes(b"abc \x81\x8d\x90 def")
    with pytest.raises(CorruptFileError) as err:
        load(tmp_path / "bad.txt")
    assert "UTF-8" in err.value.message and "Re-save" in err.value.hint


def test_binary_junk_named_txt(tmp_path):
    (tmp_path / "junk.txt").write_bytes(bytes(range(256)) * 4)
    with pytest.raises(CorruptFileError) as err:
        load(tmp_path / "junk.txt")
    assert "binary" in err.value.message and err.value.hint


@pytest.mark.parametrize("content", [b"", b"  \n\t \n"])
def test_empty_file(tmp_path, content):
    (tmp_path / "e.txt").write_bytes(content)
    with pytest.raises(EmptyDocumentError) as err:
        load(tmp_path / "e.txt")
    assert "no text" in err.value.message and err.value.hint


def test_unsupported_suffix(tmp_path):
    (tmp_path / "a.xlsx").write_bytes(b"PK")
    with pytest.raises(UnsupportedFormatError) as err:
        load(tmp_path / "a.xlsx")
    assert ".xlsx" in err.value.message and ".pdf" in err.value.hint


def test_html_main_text_and_title(tmp_path):
    body = "".join(
        f"<p>Paragraph {i} about the responsibility to protect populations from atrocity "
        f"crimes, written long enough to count as main content.</p>"
        for i in range(4)
    )
    html = (
        "<html><head><title>RtoP page</title></head><body><nav>Member Sign In</nav>"
        f"<article>{body}</article></body></html>"
    )
    (tmp_path / "p.html").write_text(html, encoding="utf-8")
    doc = load(tmp_path / "p.html")
    assert doc.title == "RtoP page"
    assert "Paragraph 0 about" in doc.text and "\n\nParagraph 1" in doc.text


def test_docx(tmp_path):
    import docx

    d = docx.Document()
    d.add_paragraph("First paragraph.")
    d.add_paragraph("Second paragraph.")
    d.save(str(tmp_path / "a.docx"))
    assert load(tmp_path / "a.docx").text == "First paragraph.\n\nSecond paragraph."


def test_corrupt_docx(tmp_path):
    (tmp_path / "a.docx").write_bytes(b"not a zip")
    with pytest.raises(CorruptFileError):
        load(tmp_path / "a.docx")


def test_pdf_pages_and_spans(tmp_path):
    path = make_pdf(tmp_path / "a.pdf", ["First page text.", "Second page text."])
    doc = load(path)
    assert [p.index for p in doc.pages] == [1, 2]
    for page, want in zip(doc.pages, ["First page", "Second page"], strict=True):
        assert want in doc.text[page.start : page.end]
    assert doc.text[doc.pages[0].end : doc.pages[1].start] == "\n\n"
    assert doc.warnings == ()


def test_encrypted_pdf(tmp_path):
    path = make_pdf(tmp_path / "e.pdf", ["Secret."], password="pw")
    with pytest.raises(EncryptedPdfError) as err:
        load(path)
    assert "password" in err.value.message and "decrypt" in err.value.hint


def test_corrupt_pdf(tmp_path):
    (tmp_path / "c.pdf").write_bytes(b"%PDF-1.4\n garbage garbage \x00\x01 not a pdf")
    with pytest.raises(CorruptFileError) as err:
        load(tmp_path / "c.pdf")
    assert err.value.hint


def test_pdf_without_text_layer(tmp_path):
    pdf = FPDF()
    pdf.add_page()
    pdf.rect(10, 10, 50, 50, style="F")
    pdf.output(str(tmp_path / "s.pdf"))
    with pytest.raises(ScannedPdfError) as err:
        load(tmp_path / "s.pdf")
    assert "OCR needed" in err.value.message and "ocrmypdf" in err.value.hint


def test_noisy_ocr_is_loaded_with_a_warning(tmp_path):
    text = "The Gen~ral Assembly, Recal1ing ,i·/ the UBRAR'( provisions ~9 Nicar~gua of the Charter"
    path = make_pdf(tmp_path / "n.pdf", [text])
    doc = load(path)
    assert doc.warnings and doc.warnings[0].startswith("noisy-ocr")
    assert ocr_noise("A clean sentence, with JS7, p.4 and A/HRC/28/4.") == 0.0
