from django.urls import path

from ccx.search import views

app_name = "search"

# Mounted under /practices/ (before the practice pages): these pages belong to the library's reader.
urlpatterns = [
    path("find-solutions/", views.find_solutions, name="find_solutions"),
    path("<slug:slug>/sdg-suggestions/", views.sdg_suggestions, name="sdg_suggestions"),
]
