"""Outside formats in and out. No Django. Errors carry file, row and column."""
