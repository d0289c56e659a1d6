"""The HTTP layer: request and response models, routes, error bodies.

The routers are gathered in `app.api.router`, not here, so that services can import the
models without pulling in the routes that import the services.
"""
