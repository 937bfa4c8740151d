CREATE TABLE IF NOT EXISTS documents (
    doc_id TEXT PRIMARY KEY,
    path TEXT NOT NULL,
    source TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    title TEXT NOT NULL,
    doc_type TEXT NOT NULL,
    year INTEGER,
    state_iso3 TEXT,
    symbol TEXT,
    meta TEXT NOT NULL,
    pages TEXT NOT NULL,
    flags TEXT NOT NULL,
    text TEXT NOT NULL,
    n_chunks INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS chunks (
    id INTEGER PRIMARY KEY,
    chunk_id TEXT NOT NULL UNIQUE,
    doc_id TEXT NOT NULL REFERENCES documents(doc_id),
    ordinal INTEGER NOT NULL,
    char_start INTEGER NOT NULL,
    char_end INTEGER NOT NULL,
    n_tokens INTEGER NOT NULL,
    page INTEGER,
    page_label TEXT,
    paragraph TEXT,
    kind TEXT NOT NULL,
    text TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS chunks_by_doc ON chunks(doc_id);
-- sentence vectors pooled from their chunk's token embeddings (float16), for quoting answers
CREATE TABLE IF NOT EXISTS sentences (
    chunk_id TEXT NOT NULL,
    doc_id TEXT NOT NULL,
    char_start INTEGER NOT NULL,
    char_end INTEGER NOT NULL,
    vector BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS sentences_by_chunk ON sentences(chunk_id);
CREATE INDEX IF NOT EXISTS sentences_by_doc ON sentences(doc_id);
CREATE VIRTUAL TABLE IF NOT EXISTS chunks_fts USING fts5(
    text, content='chunks', content_rowid='id', tokenize='porter unicode61 remove_diacritics 2'
);
