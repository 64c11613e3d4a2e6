"""Users: how the application finds accounts and tells whether a name or address is taken."""
