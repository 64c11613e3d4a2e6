import os


class Config:
    SECRET_KEY = "dev"
    SQLALCHEMY_DATABASE_URI = os.environ.get("BLOG_DATABASE_URL") or "sqlite:///blog.sqlite"
