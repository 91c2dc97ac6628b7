"""Trede: één registratie voor de re-integratieketen van de Participatiewet."""

__version__ = "0.1.0"
