"""goldenthread: a council Target Operating Model as connected data."""

__version__ = "0.1.0"
