"""The demo content `seed_demo` loads: staff accounts, articles, portfolio cases, example
client reviews and the clinics' schedules (the team, their hours, bank holidays), with
illustrations drawn at run time."""
