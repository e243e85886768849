from django.urls import path

from ccx.publications import views

app_name = "publications"

urlpatterns = [
    path("", views.publication_list, name="list"),
    path("new/", views.edit, name="new"),
    path("exhibitions/new/", views.exhibition_edit, name="exhibition_new"),
    path("exhibitions/<slug:slug>/", views.exhibition, name="exhibition"),
    path("exhibitions/<slug:slug>/edit/", views.exhibition_edit, name="exhibition_edit"),
    path("exhibitions/<slug:slug>/add/", views.exhibition_add, name="exhibition_add"),
    path("exhibitions/<slug:slug>/order/", views.exhibition_order, name="exhibition_order"),
    path("exhibitions/<slug:slug>/<slug:practice_slug>/", views.story, name="story"),
    path("exhibitions/<slug:slug>/<slug:practice_slug>/locator.svg", views.card_locator, name="card_locator"),
    path("<slug:slug>/", views.detail, name="detail"),
    path("<slug:slug>/edit/", views.edit, name="edit"),
    path("<slug:slug>/read/<str:language>/", views.read, name="read"),
    path("<slug:slug>/report/<str:language>/", views.report, name="report"),
    path("<slug:slug>/build/", views.start_build, name="build"),
    path("<slug:slug>/builds/<int:build_id>/", views.build_status, name="build_status"),
    path("<slug:slug>/builds/<int:build_id>.<str:format>", views.download, name="download"),
    path("<slug:slug>/chapters/new/", views.chapter, name="chapter_new"),
    path("<slug:slug>/chapters/order/", views.chapters_order, name="chapters_order"),
    path("<slug:slug>/chapters/<int:chapter_id>/", views.chapter, name="chapter"),
    path("<slug:slug>/chapters/<int:chapter_id>/add/", views.chapter_add, name="chapter_add"),
    path("<slug:slug>/chapters/<int:chapter_id>/order/", views.chapter_order, name="chapter_order"),
    path("<slug:slug>/chapters/<int:chapter_id>/delete/", views.chapter_delete, name="chapter_delete"),
]
