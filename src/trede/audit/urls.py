"""URLs of the privacy officer's audit screens."""

app_name = "audit"

urlpatterns: list = []
