"""Services: the application's dealings with the world outside its database."""
