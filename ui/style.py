"""The page's look and its two small scripts (copy / open buttons, scroll to the cited span)."""

from __future__ import annotations

from typing import Any

# Delegated clicks inside a rendered answer / result list / document table:
# copy buttons write to the clipboard, citation markers scroll to their card, and
# open buttons send {doc, start, end} to Python as a 'click' event.
CARDS_JS = """
element.addEventListener('click', (e) => {
  const copy = e.target.closest('[data-copy]');
  if (copy) {
    const text = copy.dataset.copy;
    const done = () => { const old = copy.textContent; copy.textContent = 'Copied ✓';
                         setTimeout(() => { copy.textContent = old; }, 1500); };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done);
    } else {
      const ta = document.createElement('textarea'); ta.value = text;
      document.body.appendChild(ta); ta.select(); document.execCommand('copy'); ta.remove();
      done();
    }
    return;
  }
  const ref = e.target.closest('.cite-ref');
  if (ref) {
    e.preventDefault();
    const card = element.querySelector('#evidence-' + ref.dataset.ref);
    if (card) {
      card.scrollIntoView({behavior: 'smooth', block: 'center'});
      card.classList.add('flash');
      setTimeout(() => card.classList.remove('flash'), 1200);
    }
    return;
  }
  const open = e.target.closest('.open-doc');
  if (open) {
    trigger('click', {doc: open.dataset.doc, start: open.dataset.start ?? '',
                      end: open.dataset.end ?? ''});
  }
});
"""

VIEWER_JS = """
const show = () => setTimeout(() => {
  const m = element.querySelector('#cited-span');
  if (m) m.scrollIntoView({block: 'center'});
}, 250);
watch('value', show);
show();
"""

CSS = """
.gradio-container { max-width: 1100px !important; margin: 0 auto !important; }
#rtop-header h1 { font-size: 1.9rem; margin: 0.2rem 0 0; letter-spacing: -0.01em; }
#rtop-header p { color: var(--body-text-color-subdued); margin: 0.2rem 0 0.6rem; }
.rtop { font-size: 1rem; line-height: 1.6; color: var(--body-text-color); }
.rtop h3 { font-size: 1.1rem; margin: 1.2rem 0 0.5rem; }
.rtop .asked { color: var(--body-text-color-subdued); font-style: italic; margin: 0.3rem 0; }
.rtop .answer-box { background: var(--color-accent-soft); border-left: 4px solid
  var(--color-accent); border-radius: 8px; padding: 0.9rem 1.1rem; margin: 0.6rem 0; }
.rtop .answer-text { font-size: 1.12rem; margin: 0; }
.rtop sup { font-size: 0.72em; }
.rtop a.cite-ref, .rtop sup.cite-ref { color: var(--color-accent); font-weight: 600;
  text-decoration: none; cursor: pointer; padding: 0 1px; }
.rtop .card { border: 1px solid var(--border-color-primary); border-radius: 10px;
  padding: 0.9rem 1.1rem; margin: 0.8rem 0; background: var(--background-fill-primary);
  box-shadow: 0 1px 2px rgba(0,0,0,0.05); transition: box-shadow 0.3s; }
.rtop .card.flash { box-shadow: 0 0 0 3px var(--color-accent); }
.rtop .card header { display: flex; gap: 0.6rem; align-items: baseline; }
.rtop .card .num { font-weight: 700; color: var(--color-accent); min-width: 2.2rem; }
.rtop .card.related .num { color: var(--body-text-color-subdued); font-weight: 600;
  font-size: 0.8rem; text-transform: uppercase; }
.rtop .card h4.title { margin: 0; font-size: 1.05rem; font-weight: 600; }
.rtop .meta { margin: 0.35rem 0 0.5rem; display: flex; flex-wrap: wrap; gap: 0.35rem; }
.rtop .chip { display: inline-block; font-size: 0.78rem; padding: 0.05rem 0.55rem;
  border-radius: 999px; background: var(--background-fill-secondary);
  border: 1px solid var(--border-color-primary); color: var(--body-text-color-subdued);
  margin-right: 0.2rem; }
.rtop .card.related mark { background: #eceff3; }
.rtop .card.related { background: var(--background-fill-secondary); }
.rtop .chip.warn { background: #fff4e5; border-color: #f5c27a; color: #8a4b00; }
.rtop .chip.ok { background: #e8f7ee; border-color: #9ad5b0; color: #17663a; }
.rtop blockquote.passage { margin: 0.4rem 0; padding: 0.2rem 0 0.2rem 0.9rem;
  border-left: 3px solid var(--border-color-primary); white-space: pre-wrap; }
.rtop .ctx { color: var(--body-text-color-subdued); }
.rtop mark, .rtop mark.quote { background: #fff1a8; color: inherit; padding: 0.05rem 0.1rem;
  border-radius: 3px; }
.rtop .cite-row { margin: 0.5rem 0 0.3rem; }
.rtop code.cite-text { font-family: var(--font); font-size: 0.9rem; background:
  var(--background-fill-secondary); padding: 0.3rem 0.5rem; border-radius: 6px;
  display: block; }
.rtop .actions { display: flex; gap: 0.5rem; margin-top: 0.4rem; }
.rtop button.act { font-size: 0.85rem; padding: 0.25rem 0.75rem; border-radius: 6px;
  border: 1px solid var(--border-color-primary); background: var(--background-fill-primary);
  cursor: pointer; color: var(--body-text-color); }
.rtop button.act:hover { border-color: var(--color-accent); color: var(--color-accent); }
.rtop button.open-doc { border-color: var(--color-accent); color: var(--color-accent); }
.rtop table { width: 100%; border-collapse: collapse; margin: 0.8rem 0; font-size: 0.95rem; }
.rtop th { text-align: left; font-weight: 600; border-bottom: 2px solid
  var(--border-color-primary); padding: 0.4rem 0.5rem; }
.rtop table, .rtop tr, .rtop th, .rtop td { border-left: none !important;
  border-right: none !important; border-top: none !important; }
.rtop tr { border-bottom: none !important; }
.rtop td { vertical-align: top; border-bottom: 1px solid var(--border-color-primary);
  padding: 0.5rem; }
.rtop td button.act { white-space: nowrap; }
.rtop td.item { font-weight: 600; white-space: nowrap; }
.rtop .list-table { background: var(--background-fill-primary); border-radius: 8px; }
.rtop .list-table th, .rtop .list-table td { border-left: none; border-right: none; }
.rtop .list-table .q { color: var(--body-text-color); }
.rtop .list-table .src { font-size: 0.85rem; color: var(--body-text-color-subdued); }
.rtop .list-table .loc { display: block; font-size: 0.8rem; }
.rtop .list-table .src-actions { margin-top: 0.3rem; display: flex; gap: 0.5rem;
  align-items: center; }
.rtop .evidence-head { border-bottom: 1px solid var(--border-color-primary);
  padding-bottom: 0.3rem; }
.rtop .refusal { border: 1px solid #f0b8b8; background: #fdf2f2; border-radius: 10px;
  padding: 0.8rem 1.1rem; }
.rtop .refusal h3 { margin-top: 0; color: #9b1c1c; }
.rtop .info h3 { margin-top: 0; }
.rtop .info { border: 1px solid var(--border-color-primary); border-radius: 10px;
  padding: 0.8rem 1.1rem; background: var(--background-fill-secondary); }
.rtop .related-block { margin-top: 1.2rem; border: 2px dashed var(--border-color-primary);
  border-radius: 10px; padding: 0.2rem 1rem 0.6rem; opacity: 0.92; }
.rtop .not-evidence { font-size: 0.75rem; text-transform: uppercase; color: #9b1c1c;
  border: 1px solid #f0b8b8; border-radius: 999px; padding: 0.05rem 0.5rem; margin-left: 0.4rem;
  vertical-align: middle; }
.rtop .hint { color: var(--body-text-color-subdued); font-size: 0.9rem; }
.rtop .footer { color: var(--body-text-color-subdued); font-size: 0.8rem; margin-top: 1rem; }
.rtop .stats { display: flex; flex-wrap: wrap; gap: 0.8rem; }
.rtop.stats .fig { border: 1px solid var(--border-color-primary); border-radius: 10px;
  padding: 0.5rem 0.9rem; min-width: 8rem; display: flex; flex-direction: column; }
.rtop.stats { display: flex; flex-wrap: wrap; gap: 0.7rem; margin: 0.3rem 0; }
.rtop.stats .v { font-size: 1.1rem; font-weight: 600; }
.rtop.stats .k { font-size: 0.78rem; color: var(--body-text-color-subdued); }
.rtop .path { font-size: 0.8rem; color: var(--body-text-color-subdued); }
.rtop .problems li { margin-bottom: 0.4rem; }
.rtop .ok { color: #17663a; }
.rtop.viewer .doc-text { white-space: pre-wrap; font-family: Georgia, 'Times New Roman', serif;
  font-size: 1.02rem; line-height: 1.7; max-height: 36rem; overflow-y: auto;
  border: 1px solid var(--border-color-primary); border-radius: 10px; padding: 1rem 1.3rem;
  background: var(--background-fill-primary); }
.rtop.viewer mark#cited-span { background: #ffe066; box-shadow: 0 0 0 2px #ffe066; }
.rtop.build-status { border: 1px solid #9cc3f5; background: #eef5ff; border-radius: 10px;
  padding: 0.5rem 0.9rem; margin: 0.3rem 0; }
.rtop.build-status.failed { border-color: #f0b8b8; background: #fff0f0; }
.rtop.build-status .bar { height: 6px; background: #d6e6fb; border-radius: 3px;
  margin-top: 0.4rem; }
.rtop.build-status .bar div { height: 6px; background: #2563eb; border-radius: 3px; }
.rtop.collections .chip { margin-right: 0.3rem; }
.rtop .page-label { margin: 0.2rem 0; }
.rtop .draft { opacity: 0.85; border-style: dashed; }
.rtop .warning { border-left: 4px solid #d97706; background: #fff7ed; padding: 0.4rem 0.7rem;
  margin: 0.5rem 0; border-radius: 4px; }
.rtop .unsupported { margin-top: 0.8rem; border: 1px solid #f0b8b8; border-radius: 8px;
  padding: 0.3rem 0.9rem; background: #fdf2f2; }
.rtop .unsupported h4 { margin: 0.3rem 0; color: #9b1c1c; }
.rtop .unsupported .reason { font-size: 0.85rem; color: #9b1c1c; }
.rtop .unsupported .cites { font-size: 0.8rem; color: var(--body-text-color-subdued); }
"""


def theme() -> Any:
    """The default theme with system fonts only: no font files fetched from anywhere."""
    import gradio as gr

    return gr.themes.Default(primary_hue="blue", neutral_hue="slate",
                             font=["system-ui", "-apple-system", "Segoe UI", "sans-serif"],
                             font_mono=["ui-monospace", "Consolas", "monospace"])
