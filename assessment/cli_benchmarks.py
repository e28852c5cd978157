"""``flask create-benchmark-group`` and ``flask benchmark-groups`` (issue 15 item 3).

Benchmark groups are defined by the service administrator; until the service
administrator has pages of their own, these commands are how.
"""

from __future__ import annotations

import click

from .cli_common import LINE, friendly_errors


@click.command("create-benchmark-group")
@click.argument("name", type=LINE)
@click.option("--name-cy", type=LINE, help="The group's Welsh name, if any.")
@friendly_errors
def create_benchmark_group_command(name: str, name_cy: str | None) -> None:
    """Create a benchmark group called NAME; prints its id."""
    from .services import benchmarks

    group = benchmarks.create_group(name, name_cy)
    click.echo(f"Created the benchmark group {group.name}.", err=True)
    click.echo(group.id)


@click.command("benchmark-groups")
@friendly_errors
def benchmark_groups_command() -> None:
    """List the benchmark groups (id, rounds and organisations contributing, name), each
    followed by its contributions: organisation, round, question-bank version, date."""
    from .services import benchmarks

    groups = benchmarks.list_groups()
    if not groups:
        click.echo("There are no benchmark groups yet.", err=True)
    for group in groups:
        welsh = f" / {group.name_cy}" if group.name_cy else ""
        rounds = "round" if group.rounds == 1 else "rounds"
        organisations = "organisation" if group.organisations == 1 else "organisations"
        click.echo(f"{group.id}\t{group.rounds} {rounds} from {group.organisations} "
                   f"{organisations}\t{group.name}{welsh}")
        for item in benchmarks.group_contributions(group.id):
            click.echo(f"\t{item.organisation}: round {item.round_id} ({item.round_name}), "
                       f"questions version {item.bank_version}, "
                       f"contributed {item.contributed_at:%Y-%m-%d}")


BENCHMARK_COMMANDS = [create_benchmark_group_command, benchmark_groups_command]
