from django.urls import URLPattern, URLResolver

app_name = "partnerships"

urlpatterns: list[URLPattern | URLResolver] = []
