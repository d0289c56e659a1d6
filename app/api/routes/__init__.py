"""One module per resource. Every router carries the full `/api/...` prefix itself: the
app adds their routes to its own list (see app.api.router)."""

PREFIX = "/api"
