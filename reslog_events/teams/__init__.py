"""Event teams: co-organisers and door staff put on one event, from any union."""
