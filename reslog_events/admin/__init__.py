"""Administration: users in the browser and on the command line, one-time account links."""
