import os

from django.conf import settings
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ccx.settings")
# Web requests get the database statement timeout; commands (backups, imports) do not.
os.environ.setdefault("CCX_WEB_PROCESS", "true")
application = get_wsgi_application()

if settings.SEARCH_WARM_START:
    from ccx.search.startup import warm_up

    warm_up()
