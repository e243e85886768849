import os

from django.conf import settings
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ccx.settings")
application = get_wsgi_application()

if settings.SEARCH_WARM_START:
    from ccx.search.startup import warm_up

    warm_up()
