from django.urls import path

from ccx.monitoring import sdg_views, views

app_name = "monitoring"

urlpatterns = [
    path("board/", views.board, name="board"),
    path("board/rule/", views.set_rule, name="set_rule"),
    path("glance/", sdg_views.coverage, name="coverage"),
    path("glance/reporting/", sdg_views.reporting, name="reporting"),
    path("glance/ties/", sdg_views.ties, name="ties"),
    path("cities/<slug:slug>/reports/", views.city_reports, name="city_reports"),
    path("cities/<slug:slug>/reports/start/", views.start, name="start"),
    path("cities/<slug:slug>/reports/due/", views.set_due, name="set_due"),
    path("cities/<slug:slug>/sdg/", sdg_views.city_sdg, name="city_sdg"),
    path("cities/<slug:slug>/sdg/values/new/", sdg_views.value_form, name="value_new"),
    path("cities/<slug:slug>/sdg/values/<int:pk>/", sdg_views.value_form, name="value_edit"),
    path("cities/<slug:slug>/sdg/values/<int:pk>/delete/", sdg_views.value_delete, name="value_delete"),
    path("cities/<slug:slug>/sdg/summary/", sdg_views.summary_build, name="summary_build"),
    path("reports/<int:pk>/", views.report_page, name="report"),
    path("reports/<int:pk>/edit/", views.edit, name="edit"),
    path("reports/<int:pk>/autosave/", views.autosave, name="autosave"),
    path("reports/<int:pk>/discard/", views.discard_draft, name="discard"),
    path("reports/<int:pk>/act/", views.act, name="act"),
    path("reports/<int:pk>/history/", views.history, name="history"),
    path("reports/<int:pk>/build/", views.build, name="build"),
    path("builds/<int:build_id>/", views.build_status, name="build_status"),
]
