# The two set-up commands of the README: `make run` and `make test`.
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: install run index serve test lint browser clean

# torch is pinned to the CPU wheel first; an unpinned torch would pull CUDA packages.
$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(BIN)/pip install --upgrade pip
	$(BIN)/pip install torch==2.13.0
	$(BIN)/pip install -e '.[test,eval]'
	$(BIN)/pip check
	touch $(STAMP)

install: $(STAMP)

index: install
	$(BIN)/rtop-search index corpus

serve: install
	$(BIN)/rtop-search serve --host $(HOST) --port $(PORT)

# serves at once; a background job builds corpus/ (only what changed) while the UI shows it
run: serve

# Debian's chromium drives the browser test; Playwright never downloads a browser of its own.
browser:
	@command -v chromium >/dev/null 2>&1 || { $(SUDO) apt-get update && \
		$(SUDO) DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium; }

test: install browser
	$(BIN)/pytest

lint: install
	$(BIN)/ruff check .

clean:
	rm -rf var reports .pytest_cache
