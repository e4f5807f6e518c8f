# Targets named in the README. `python3 dev.py run|test` does the same without make.
.PHONY: run test test-postgres lint format translations extract-messages bench check-translations

run:
	python3 dev.py run

test:
	python3 dev.py test

test-postgres:
	TEST_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1/postgres python3 dev.py test

lint:
	.venv/bin/ruff check . && .venv/bin/ruff format --check .

format:
	.venv/bin/ruff format . && .venv/bin/ruff check --fix .

extract-messages:
	.venv/bin/pybabel extract -F babel.cfg --project "RESLOG Events" --sort-by-file \
		-o reslog_events/translations/messages.pot .
	.venv/bin/pybabel update -i reslog_events/translations/messages.pot \
		-d reslog_events/translations --no-fuzzy-matching --ignore-obsolete

check-translations: translations
	.venv/bin/python -m pytest tests/test_translations.py -q -p no:logging

translations:
	.venv/bin/pybabel compile -d reslog_events/translations

# `make bench` lists the benchmarks and their commands; `make bench BENCH=qr` runs one.
bench:
	.venv/bin/python -m bench $(BENCH)
