"""The user guide, served by the application itself.

The pages are the Markdown files of ``docs/guide/`` (images in ``docs/images/``),
rendered with GOV.UK Frontend's classes, so a user reads the guide without the
repository. :mod:`.content` finds and renders the pages, :mod:`.help` says which
page explains each page of the application, :mod:`.views` serves them at
``/guide/``. The guide is public: it holds no organisation's data, and the
pages on signing in must be readable before signing in.
"""
