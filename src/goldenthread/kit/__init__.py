"""The module kit: one way for every app to build a register's pages.

Each piece lives in its own module and imports no domain app:

* :mod:`.columns` — a register's columns, declared once for import, export and docs.
* :mod:`.pages` — form and confirm pages, organisation-scoped get-or-404,
  downloads with a safe file name, breadcrumbs and the success banner.
* :mod:`.importing` — one import flow for every register: upload, check in
  the background, preview, confirm or discard, save all or nothing.

See docs/adding-a-module.md for a worked example.
"""
