"""The project's management entry point: ``flask --app manage db upgrade``."""

from flask_migrate import Migrate
from staff import create_app, db

app = create_app()
migrate = Migrate(app, db)
