"""Adapters: the real database, clock, speech, files and devices behind the services' ports."""
