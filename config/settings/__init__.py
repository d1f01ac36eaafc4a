"""Settings split per environment: base, local (make run), test, production."""
