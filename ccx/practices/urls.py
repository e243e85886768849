from django.urls import path

from ccx.practices import views
from ccx.practices.feeds import NewPractices

app_name = "practices"

urlpatterns = [
    path("", views.library, name="library"),
    path("new/", views.new, name="new"),
    path("mine/", views.mine, name="mine"),
    path("review/", views.review, name="review"),
    path("feed.atom", NewPractices(), name="feed"),
    path("export.<str:format>", views.export, name="export"),
    path("autosave/<str:step>/", views.autosave, name="autosave_new"),
    path("discard/<str:step>/", views.discard_draft, name="discard_new"),
    path("<slug:slug>/", views.detail, name="detail"),
    path("<slug:slug>.jsonld", views.practice_jsonld, name="jsonld"),
    path("<slug:slug>/edit/images/", views.images, name="images"),
    path("<slug:slug>/edit/images/<int:image_id>/delete/", views.delete_image, name="delete_image"),
    path("<slug:slug>/edit/<str:step>/", views.edit, name="edit"),
    path("<slug:slug>/autosave/<str:step>/", views.autosave, name="autosave"),
    path("<slug:slug>/discard/<str:step>/", views.discard_draft, name="discard"),
    path("<slug:slug>/preview/", views.preview, name="preview"),
    path("<slug:slug>/act/", views.act, name="act"),
    path("<slug:slug>/history/", views.history, name="history"),
    path("<slug:slug>/history/<int:number>/restore/", views.restore, name="restore"),
    path("<slug:slug>/delete/", views.delete, name="delete"),
    path("<slug:slug>/undelete/", views.undelete, name="undelete"),
]
