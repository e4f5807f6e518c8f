import click


@click.command("demo")
def demo_command() -> None:
    """Load the demo data set (idempotent)."""


def init_app(app) -> None:
    app.cli.add_command(demo_command)
