"""The HTTP server: app factory, state, limits, security headers and the routes."""
