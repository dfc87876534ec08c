.PHONY: demo test setup worker lint messages bench

demo:  ## set up, load the demo data into SQLite and serve on http://127.0.0.1:8000
	scripts/demo.sh

test:  ## the whole suite on SQLite, and on PostgreSQL when reachable
	scripts/test.sh

setup:
	scripts/setup.sh

worker:  ## run the background task worker (database backend)
	.venv/bin/python manage.py run_worker

lint:
	.venv/bin/ruff check . && .venv/bin/mypy

messages:  ## refresh the zh_Hans catalog from the source
	.venv/bin/python manage.py makemessages -l zh_Hans --ignore=.venv --ignore=node_modules --ignore=static --ignore=test-artifacts --no-obsolete

bench:  ## the benchmark at 100k organizations (PostgreSQL, ~25 min): bench/results/report.md
	bench/setup.sh
	.venv/bin/python bench/run.py
