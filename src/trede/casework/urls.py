from django.urls import include, path

app_name = "casework"

urlpatterns = [
    path("", include("trede.casework.urls_intake")),
    path("", include("trede.casework.urls_plans")),
    path("", include("trede.casework.urls_worklist")),
]
