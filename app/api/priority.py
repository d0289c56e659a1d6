"""Interactive requests (forward, backprop, paths, nudge, stateless or on a saved network)
are counted while they are served, so the training pool gives no new turn meanwhile."""

from __future__ import annotations

from app.api.deps import training_pool

INTERACTIVE = ("/forward", "/backprop", "/paths", "/nudge")


class InteractiveFirst:
    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        path = scope.get("path", "")
        if (
            scope["type"] != "http"
            or not path.startswith("/api/")
            or not path.endswith(INTERACTIVE)
        ):
            return await self.app(scope, receive, send)
        with training_pool(scope["app"]).interactive():
            await self.app(scope, receive, send)
