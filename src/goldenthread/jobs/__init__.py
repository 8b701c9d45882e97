"""Background jobs: imports, reports and simulations run by the task worker, with progress."""
