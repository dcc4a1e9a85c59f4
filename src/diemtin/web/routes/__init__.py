"""The web server's routes, one module per page family; each module's ``router(site)`` returns its
FastAPI router (the handlers close over the ``Site``)."""
