"""URLs of the casework plans screens (included by casework/urls.py)."""

urlpatterns: list = []
