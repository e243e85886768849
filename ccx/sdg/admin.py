from django.contrib import admin

from ccx.sdg.models import Goal, Indicator, Target


@admin.register(Goal)
class GoalAdmin(admin.ModelAdmin[Goal]):
    list_display = ("number", "__str__")


@admin.register(Target)
class TargetAdmin(admin.ModelAdmin[Target]):
    list_display = ("code", "__str__")
    list_filter = ("goal",)
    search_fields = ("code",)


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin[Indicator]):
    list_display = ("code", "__str__")
    search_fields = ("code",)
