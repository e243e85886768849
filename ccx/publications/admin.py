"""The secretariat's admin for publications and exhibitions (the pages under /publications/ do the curating)."""

from django.contrib import admin

from ccx.publications.models import Build, Chapter, ChapterPractice, Exhibition, ExhibitionItem, Publication


class ChapterInline(admin.TabularInline[Chapter, Publication]):
    model = Chapter
    fields = ("position", "title")
    extra = 0
    show_change_link = True


@admin.register(Publication)
class PublicationAdmin(admin.ModelAdmin[Publication]):
    list_display = ("title", "slug", "is_published", "created_at")
    search_fields = ("title", "slug")
    inlines = [ChapterInline]


class ChapterPracticeInline(admin.TabularInline[ChapterPractice, Chapter]):
    model = ChapterPractice
    fields = ("position", "practice")
    raw_id_fields = ("practice",)
    extra = 0


@admin.register(Chapter)
class ChapterAdmin(admin.ModelAdmin[Chapter]):
    list_display = ("title", "publication", "position")
    inlines = [ChapterPracticeInline]


@admin.register(Build)
class BuildAdmin(admin.ModelAdmin[Build]):
    list_display = ("publication", "language", "version", "status", "created_at", "finished_at")
    list_filter = ("status", "language")
    readonly_fields = [field.name for field in Build._meta.fields]


class ExhibitionItemInline(admin.TabularInline[ExhibitionItem, Exhibition]):
    model = ExhibitionItem
    fields = ("position", "practice")
    raw_id_fields = ("practice",)
    extra = 0


@admin.register(Exhibition)
class ExhibitionAdmin(admin.ModelAdmin[Exhibition]):
    list_display = ("title", "slug", "is_published", "is_featured")
    inlines = [ExhibitionItemInline]
