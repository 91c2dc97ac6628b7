"""URLs of the client file screens."""

app_name = "clients"

urlpatterns: list = []
