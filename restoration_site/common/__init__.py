"""The shared library: helpers every app may use (images, caching, pagination, storage, forms,
admin display, choices, the client address and rate limit, template tags).

It imports Django and third-party packages only, never an app or a project module, so any app
can depend on it without depending on the others (`make lint` enforces this).
"""
