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
	.venv/bin/pybabel extract -F babel.cfg -k _l -k lazy_gettext -o reslog_events/translations/messages.pot .
	.venv/bin/pybabel update -i reslog_events/translations/messages.pot -d reslog_events/translations --no-fuzzy-matching

translations:
	.venv/bin/pybabel compile -d reslog_events/translations

bench:
	.venv/bin/python -m bench
