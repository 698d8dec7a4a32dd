"""Background sending: a queue and worker threads that deliver events in batches, retry what
failed and optionally keep them in a spool on disk (see umami.enable_background_sending()).

``records`` holds what it reports (cheap to import); ``sender`` the queue and the threads, imported
only when background sending is switched on.
"""
