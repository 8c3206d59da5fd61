"""Who works where each day: the roster, requests and the planner."""
