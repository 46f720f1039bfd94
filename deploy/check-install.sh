#!/usr/bin/env bash
# CI: the Dockerfile's install step (deploy/install.sh) in a clean venv on a copy of the build
# context, then the production settings' deploy check and gunicorn's config check, as the image
# would run them. (No Docker engine here: the apt-get line and the user are not exercised.)
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# The build context: the committed tree less what .dockerignore keeps out.
git ls-files -z | tar --create --exclude-from=<(grep -v '^#' .dockerignore | sed 's#^\*\*/##') --null --files-from=- \
  | tar --extract --directory "$work"
python3 -m venv "$work/venv"
cd "$work"
PATH="$work/venv/bin:$PATH" sh deploy/install.sh
test -f staticfiles/staticfiles.json
export DEBUG=false SECRET_KEY=check-install-$RANDOM-long-enough-for-the-deploy-check-xxxxxxxxxxxxxxxxxxxxxx
export DATABASE_URL=sqlite:///$work/check.sqlite3 CELERY_BROKER_URL=redis://127.0.0.1:1/0
"$work/venv/bin/python" manage.py check --deploy --fail-level WARNING
"$work/venv/bin/gunicorn" --check-config -c deploy/gunicorn.conf.py lonservice.wsgi:application
"$work/venv/bin/python" -c "import celery.bin.celery, lonservice.celery; print('celery app', lonservice.celery.app.main)"
echo "check-install: the image's install step works in a clean venv"
