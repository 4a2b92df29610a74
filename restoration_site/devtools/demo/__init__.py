"""The demo content `seed_demo` loads: staff accounts, articles and portfolio cases, with
illustrations drawn at run time."""
