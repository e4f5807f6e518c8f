"""Sending a colleague instead: an invitee names a colleague, who is invited in their place."""
