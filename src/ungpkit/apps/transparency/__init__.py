"""Public statistics of grievance mechanisms, the learning loop and the GP31 self-assessment."""
