"""The Django project: settings, URLs, base templates and the static pipeline."""
