# Dates and times as a UK clinic writes them, the same on every admin page: "2 Dec 2026, 14:05"
# (Django's own en_GB uses "2:05 p.m.", and pages mixing both were hard to read).
DATETIME_FORMAT = "j M Y, H:i"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
TIME_FORMAT = "H:i"
