"""`flask demo`: a realistic, idempotent demo data set."""
