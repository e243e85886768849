import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ccx.settings")
# Web requests get the database statement timeout; commands (backups, imports) do not.
os.environ.setdefault("CCX_WEB_PROCESS", "true")
application = get_asgi_application()
