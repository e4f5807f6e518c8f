"""Messages from the organisers to a group of an event's invitees (accepted, attended, …)."""
