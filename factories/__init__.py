"""factory_boy factories for every test layer, bound to the current test's database session."""

from factories.models import DEFAULT_PASSWORD, PostFactory, UploadFactory, UserFactory, reseed

__all__ = ["DEFAULT_PASSWORD", "PostFactory", "UploadFactory", "UserFactory", "reseed"]
