"""Consultation requests: everything with a side effect, one module per job.

`routing` decides which clinic handles an enquiry, `enquiries` stores a new one, `emails`
writes and renders its emails, `outbox` delivers them, `workflow` holds what staff do to an
enquiry, `privacy` retention, erasure and subject access, `exports` the CSV export,
`availability` the free times and `appointments` booking, moving and cancelling them.

Views, the admin and the management commands call these modules by name
(`from bookings.services import outbox`); nothing is re-exported and no logic lives here.
"""
