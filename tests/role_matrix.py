"""Who may call which API endpoint: the expected table the role-matrix test walks.

Every endpoint declared with `@endpoint` must be listed here (the test fails otherwise).
Keys are (method, rule as declared in the blueprint); values are the roles allowed, or None for
endpoints that take no bearer token (webhooks authenticate by signature).
"""

A = "admin"
O = "organiser"  # noqa: E741 - one letter per role keeps the table readable
S = "staff"
C = "coordinator"

MATRIX: dict[tuple[str, str], set[str] | None] = {
    # directory
    ("GET", "/organisations"): {A, O, C},
    ("POST", "/organisations"): {A, O},
    ("GET", "/organisations/<int:organisation_id>"): {A, O, C},
    ("PATCH", "/organisations/<int:organisation_id>"): {A, O},
    ("POST", "/organisations/<int:organisation_id>/confirm"): {A, O},
    ("POST", "/organisations/<int:organisation_id>/merge"): {A, O},
    ("GET", "/contacts"): {A, O},
    ("POST", "/contacts"): {A, O},
    ("GET", "/contacts/<int:contact_id>"): {A, O},
    ("PATCH", "/contacts/<int:contact_id>"): {A, O},
    ("POST", "/contacts/import"): {A, O},
    # users
    ("GET", "/users"): {A},
    # privacy
    ("GET", "/contacts/<int:contact_id>/export"): {A, O},
    ("POST", "/contacts/<int:contact_id>/erase"): {A, O},
    # events
    ("GET", "/events"): {A, O, S, C},
    ("POST", "/events"): {A, O},
    ("GET", "/events/hosts"): {A, O},
    ("GET", "/events/<int:event_id>"): {A, O, S, C},
    ("PATCH", "/events/<int:event_id>"): {A, O},
    ("POST", "/events/<int:event_id>/cancel"): {A, O},
    # copies and series
    ("POST", "/events/<int:event_id>/copy"): {A, O},
    ("GET", "/events/<int:event_id>/series"): {A, O, S, C},
    ("POST", "/events/<int:event_id>/series"): {A, O},
    ("PUT", "/events/<int:event_id>/series"): {A, O},
    ("POST", "/events/<int:event_id>/series/cancel"): {A, O},
    # teams
    ("GET", "/events/<int:event_id>/team"): {A, O},
    ("POST", "/events/<int:event_id>/team"): {A, O},
    ("DELETE", "/events/<int:event_id>/team/<int:user_id>"): {A, O},
    ("POST", "/events/<int:event_id>/messages"): {A, O},
    # minutes and documents
    ("GET", "/events/<int:event_id>/documents"): {A, O},
    ("POST", "/events/<int:event_id>/documents"): {A, O},
    ("DELETE", "/events/<int:event_id>/documents/<int:document_id>"): {A, O},
    # feedback
    ("GET", "/events/<int:event_id>/feedback"): {A, O},
    ("PUT", "/events/<int:event_id>/feedback"): {A, O},
    ("POST", "/events/<int:event_id>/feedback/send"): {A, O},
    ("GET", "/events/<int:event_id>/feedback/results"): {A, O, C},
    ("GET", "/reports/feedback"): {A, O, C},
    # invitations
    ("POST", "/events/<int:event_id>/invitations"): {A, O},
    ("GET", "/events/<int:event_id>/invitations"): {A, O},
    ("POST", "/events/<int:event_id>/reminders"): {A, O},
    ("POST", "/events/<int:event_id>/invitations/<int:invitation_id>/resend"): {A, O},
    ("GET", "/events/<int:event_id>/invitations/progress"): {A, O},
    ("POST", "/webhooks/sendgrid"): None,
    # rsvp
    ("GET", "/events/<int:event_id>/answers"): {A, O},
    ("POST", "/invitations/<int:invitation_id>/answer"): {A, O},
    # reports
    ("GET", "/reports/attendance"): {A, O, C},
    ("GET", "/reports/door"): {A, O, C},
    ("POST", "/reports/runs"): {A, O, C},
    ("GET", "/reports/runs/<int:run_id>"): {A, O, C},
    ("GET", "/reports/runs/<int:run_id>/xlsx"): {A, O, C},
    # results against targets
    ("GET", "/results"): {A, C},
    ("GET", "/results/targets"): {A},
    ("POST", "/results/targets"): {A},
    ("PATCH", "/results/targets/<int:target_id>"): {A},
    ("DELETE", "/results/targets/<int:target_id>"): {A},
    ("GET", "/results/pilot-organisations"): {A, C},
    ("POST", "/results/pilot-organisations"): {A},
    ("DELETE", "/results/pilot-organisations/<int:organisation_id>"): {A},
    # checkin
    ("POST", "/events/<int:event_id>/checkins"): {A, O, S},
    ("GET", "/events/<int:event_id>/checkins"): {A, O, S},
    ("POST", "/events/<int:event_id>/checkins/manual"): {A, O, S},
    ("POST", "/events/<int:event_id>/walk-ins"): {A, O, S},
    ("DELETE", "/events/<int:event_id>/checkins/<int:checkin_id>"): {A, O, S},
    ("GET", "/events/<int:event_id>/checkins/search"): {A, O, S},
    ("GET", "/events/<int:event_id>/checkins/stats"): {A, O, S},
    ("GET", "/events/<int:event_id>/checkins/expected"): {A, O, S},
    ("GET", "/events/<int:event_id>/scans"): {A, O, S},
    # programme
    ("GET", "/events/<int:event_id>/sessions"): {A, O, S, C},
    ("POST", "/events/<int:event_id>/sessions"): {A, O},
    ("GET", "/sessions/<int:session_id>"): {A, O, S, C},
    ("PATCH", "/sessions/<int:session_id>"): {A, O},
    ("DELETE", "/sessions/<int:session_id>"): {A, O},
    ("GET", "/events/<int:event_id>/programme"): {A, O, S, C},
    ("PATCH", "/events/<int:event_id>/programme"): {A, O},
    ("GET", "/events/<int:event_id>/sites"): {A, O, S, C},
    ("POST", "/events/<int:event_id>/sites"): {A, O},
    ("PATCH", "/sites/<int:site_id>"): {A, O},
    ("DELETE", "/sites/<int:site_id>"): {A, O},
    ("GET", "/events/<int:event_id>/delegation"): {A, O},
    ("POST", "/events/<int:event_id>/delegation"): {A, O},
    ("PATCH", "/delegation/<int:member_id>"): {A, O},
    ("DELETE", "/delegation/<int:member_id>"): {A, O},
    ("POST", "/events/<int:event_id>/itinerary/send"): {A, O},
    ("GET", "/events/<int:event_id>/clashes"): {A, O},
}
