"""The `goldenthread` command.

Thin by design: each subcommand calls one function. Django is imported only by
the subcommands that need it, so the analysis commands start fast.
"""

from __future__ import annotations

import os
import signal
import sys
from typing import Annotated

import typer

from goldenthread.commands.structure import app as structure_app

LOCAL_SETTINGS = "goldenthread.web.settings.local"

app = typer.Typer(
    help="goldenthread: a council's Target Operating Model as connected data.",
    no_args_is_help=True,
    add_completion=False,
)
app.add_typer(structure_app, name="structure")

Host = Annotated[str, typer.Option(help="Address to listen on.")]
Port = Annotated[int, typer.Option(help="Port to listen on.")]


def _django(settings: str | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", settings or LOCAL_SETTINGS)
    import django

    django.setup()


def _collect_static() -> None:
    """Gather the static files under hashed names, compressed, where the settings serve them.

    Settings that serve static files straight from the app folders (the test
    settings, the local settings with GOLDENTHREAD_DEBUG) set no STATIC_ROOT.
    """
    from django.conf import settings
    from django.core.management import call_command

    if settings.STATIC_ROOT:
        call_command("collectstatic", interactive=False, verbosity=0)


def _worker_command(worker_id: str) -> list[str]:
    return [
        sys.executable,
        "-m",
        "goldenthread.cli",
        "manage",
        "worker",
        "--interval",
        "0.5",
        "--worker-id",
        worker_id,
    ]


def _after_worker_death(worker_id: str) -> None:
    """The jobs the dead worker was running failed with it: say so now, not when they go stale."""
    from django.db import connections

    from goldenthread.jobs.recovery import jobs_recover

    try:
        jobs_recover(worker=worker_id)
    finally:
        connections.close_all()


def _maintain() -> None:
    from django.db import connections

    from goldenthread.jobs.recovery import maintain

    try:
        maintain()
    finally:
        connections.close_all()


def _serve(host: str, port: int, worker: bool) -> None:
    """Run the task worker (a child process, restarted if it stops) beside the web server."""
    from django.core.management import call_command

    from goldenthread.jobs.recovery import MAINTENANCE_SECONDS
    from goldenthread.jobs.supervisor import WorkerSupervisor

    _collect_static()
    # Stopping the server (Ctrl+C or SIGTERM) must stop the worker too.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    supervisor = None
    if worker:
        supervisor = WorkerSupervisor(
            _worker_command,
            on_death=_after_worker_death,
            maintain=_maintain,
            maintain_seconds=MAINTENANCE_SECONDS,
        ).start()
    try:
        typer.echo(f"goldenthread is serving on http://{host}:{port}/ (Ctrl+C stops it)")
        call_command("runserver", f"{host}:{port}", use_reloader=False, skip_checks=True)
    finally:
        if supervisor is not None:
            supervisor.stop()


@app.command()
def demo(
    host: Host = "127.0.0.1",
    port: Port = 8000,
    serve: Annotated[
        bool, typer.Option(help="Serve after loading (--no-serve only loads).")
    ] = True,
) -> None:
    """Migrate the local database, load the demo council and serve it with a task worker.

    The demo users are demo-admin, demo-editor and demo-viewer. Their password
    is GOLDENTHREAD_DEMO_PASSWORD when set, otherwise a new random one; it is printed.
    """
    _django(LOCAL_SETTINGS)
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    call_command("load_demo")
    if serve:
        _serve(host, port, worker=True)


@app.command()
def serve(
    host: Host = "127.0.0.1",
    port: Port = 8000,
    worker: Annotated[bool, typer.Option(help="Run the background task worker too.")] = True,
    migrate: Annotated[bool, typer.Option(help="Apply database migrations first.")] = True,
) -> None:
    """Serve goldenthread (local settings unless DJANGO_SETTINGS_MODULE says otherwise)."""
    _django()
    if migrate:
        from django.core.management import call_command

        call_command("migrate", interactive=False, verbosity=0)
    _serve(host, port, worker)


@app.command(
    context_settings={"allow_extra_args": True, "ignore_unknown_options": True},
    add_help_option=False,
)
def manage(ctx: typer.Context) -> None:
    """Run a Django management command, e.g. `goldenthread manage createsuperuser`."""
    _django()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["goldenthread manage", *ctx.args])


def main() -> None:
    """Entry point of the console script."""
    app()


if __name__ == "__main__":
    main()
