#!/bin/sh
# The image's install step (Dockerfile), also run by CI in a clean venv (deploy/check-install.sh):
# the project and its dependencies from pyproject.toml, then the static files with their manifest.
set -eu
python -m pip install --upgrade pip
python -m pip install -e .
# collectstatic needs production settings; it reaches neither the database nor the broker.
DEBUG=false SECRET_KEY=build-only DATABASE_URL=sqlite:////tmp/build-only.sqlite3 \
  CELERY_BROKER_URL=redis://build-only:6379/0 python manage.py collectstatic --noinput -v0
