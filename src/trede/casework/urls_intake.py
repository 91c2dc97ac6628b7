"""URLs of the casework intake screens (included by casework/urls.py)."""

urlpatterns: list = []
