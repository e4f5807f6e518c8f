"""Data-protection rights and retention: export everything held about a contact, erase a
contact (the person goes, the counts stay), and purge personal answers some months after an
event. See docs/privacy.md."""
