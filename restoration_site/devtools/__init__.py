"""Development tools: the measuring, auditing and demo-content commands and what they share.

Installed only with debug on or DJANGO_DEVTOOLS=1 (settings.py), never on a production server.
It sits beside the project and may import every app; no app imports it.
"""
