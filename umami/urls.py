"""The self-hosted API paths, kept for code written against the ``umami-analytics`` package."""

login = "/api/auth/login"
websites = "/api/websites"
events = "/api/send"
verify = "/api/auth/verify"
heartbeat = "/api/heartbeat"
me = "/api/me"
