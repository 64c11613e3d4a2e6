# The app image, and (target "test") the same with Playwright's Chromium for the test suite.
# The app runs the production config under gunicorn: give it SECRET_KEY (and DATABASE_URL) at run time,
# e.g. docker run -e SECRET_KEY="$(python -c 'import secrets; print(secrets.token_hex(32))')" …
FROM python:3.12-slim AS app
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 FLASK_CONFIG=production
WORKDIR /srv/webapp
COPY pyproject.toml README.md constraints.txt ./
COPY webapp ./webapp
COPY factories ./factories
RUN pip install -c constraints.txt -e .
EXPOSE 5000
CMD ["sh", "-c", "flask --app webapp init-db && exec gunicorn --bind 0.0.0.0:5000 --workers 2 'webapp:create_app()'"]

FROM app AS test
# The suite builds its own apps with the testing config.
ENV FLASK_CONFIG=testing
COPY harness ./harness
RUN pip install -c constraints.txt -e './harness[browser,postgres]' -e '.[test]' \
    && python -m playwright install --with-deps chromium
COPY . .
CMD ["pytest", "-n", "auto"]
