FROM python:3.11-slim-bookworm
# WeasyPrint needs Pango; fonts for the PDFs.
RUN apt-get update && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core gettext \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY pyproject.toml ./
COPY . .
RUN pip install --no-cache-dir . && DEBUG=false SECRET_KEY=build-only python manage.py collectstatic --noinput
ENV DEBUG=false
EXPOSE 8000
