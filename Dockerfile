# The app image, and (target "test") the same with Playwright's Chromium for the test suite.
FROM python:3.12-slim AS app
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
WORKDIR /srv/webapp
COPY pyproject.toml README.md ./
COPY webapp ./webapp
COPY harness ./harness
COPY factories ./factories
RUN pip install -e .
EXPOSE 5000
CMD ["sh", "-c", "flask --app webapp init-db --demo && flask --app webapp run --host 0.0.0.0 --port 5000"]

FROM app AS test
RUN pip install -e '.[test]' && python -m playwright install --with-deps chromium
COPY . .
CMD ["pytest", "-n", "auto"]
