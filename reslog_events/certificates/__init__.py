"""Certificates of attendance: the PDF for the invitee, the public verification page."""
