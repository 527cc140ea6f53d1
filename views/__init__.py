"""Flet 1.0 components: the screens of Musling. Never imports ``storage``."""
