"""The programme: agenda sessions, peer-visit itineraries, the calendar, feeds, clash warnings."""
