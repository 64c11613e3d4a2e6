"""factory_boy's way: the session is captured once, at import time (``sqlalchemy_session = db.session``)."""

from catalog import Item, db

SESSION = db.session


def make_item(name):
    item = Item(name=name)
    SESSION.add(item)
    SESSION.commit()
    return item
