# RareGate: one image for web (gunicorn), worker (celery worker) and beat (celery beat).
FROM python:3.12-slim

# gunicorn reads its worker count from WEB_CONCURRENCY: override it per deployment.
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    VIRTUAL_ENV=/opt/venv \
    PATH=/opt/venv/bin:$PATH \
    DJANGO_SETTINGS_MODULE=config.settings.production \
    DJANGO_MEDIA_ROOT=/app/media \
    WEB_CONCURRENCY=3

RUN groupadd --system raregate \
    && useradd --system --gid raregate --home-dir /app --no-create-home raregate

# Dependencies first, so that a code change doesn't reinstall them. Every wheel is pinned by hash.
COPY requirements/base.txt /tmp/requirements.txt
RUN python -m venv "$VIRTUAL_ENV" \
    && pip install --require-hashes -r /tmp/requirements.txt \
    && rm /tmp/requirements.txt

WORKDIR /app
COPY . .

# Static files are collected into the image (whitenoise serves them). Production settings refuse
# to start without their three variables: dummy values, for this step only.
RUN DJANGO_SECRET_KEY=collectstatic-build-only \
    DATABASE_URL=sqlite:////tmp/collectstatic.sqlite3 \
    DJANGO_ALLOWED_HOSTS=localhost \
    python manage.py collectstatic --noinput \
    && mkdir -p /app/media \
    && chown raregate:raregate /app/media

USER raregate
EXPOSE 8000

CMD ["gunicorn", "config.wsgi:application", "--bind", "0.0.0.0:8000", "--access-logfile", "-"]
