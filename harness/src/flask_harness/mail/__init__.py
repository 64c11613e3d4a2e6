"""The mail an app sends during a test: captured from Flask-Mail, Flask-Mailman or its own backend."""
