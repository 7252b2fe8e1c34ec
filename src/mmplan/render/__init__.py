"""Renderers: turn result models into Rich tables, CSV, Markdown, JSON or iCalendar."""
