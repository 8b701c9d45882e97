"""The start page, an organisation's dashboard, and its units: directorates, services and teams."""
