"""The demo organisation: a fictional council that shows every module."""
