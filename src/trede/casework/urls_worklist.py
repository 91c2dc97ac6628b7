"""URLs of the casework worklist screens (included by casework/urls.py)."""

urlpatterns: list = []
