"""The `counterpitch` command: a thin face over the engine (typer + rich).

Exit codes: 0 success, 2 bad input (a record that could not be read or validated, a missing file).

One module per command group; what they share (the consoles, `fail`, the common options, the readers of
approaches, the service's store) is in `common`. The app is assembled here, in the order `--help` lists it.
"""

from __future__ import annotations

import typer

from counterpitch.cli import (
    audit,
    campaigns,
    check,
    devices,
    mail,
    models,
    photo,
    reference,
    scan,
    service,
    share,
    share_match,
    share_taxii,
)

__all__ = ["app"]

app = typer.Typer(
    help="Screen professional-network approaches for hostile-state recruitment, offline.",
    no_args_is_help=True,
    add_completion=False,
)
app.command()(check.check)
app.command()(reference.detectors)
app.command()(reference.schema)
app.command("check-mail")(mail.check_mail)
app.command()(scan.scan)
app.command()(photo.photo)
app.command("eval")(models.evaluate_cmd)
app.command()(models.train)
app.command()(audit.audit)
app.command()(service.serve)
app.add_typer(campaigns.campaigns_app, name="campaigns", no_args_is_help=True)
app.add_typer(devices.devices_app, name="devices", no_args_is_help=True)
share.share_app.command("publish")(share_taxii.publish)
share.share_app.command("push")(share_taxii.push_cmd)
share.share_app.command("pull")(share_taxii.pull_cmd)
share.share_app.command()(share_match.keygen)
share.share_app.command()(share_match.fingerprints)
share.share_app.command()(share_match.match)
share.share_app.command("psi-start")(share_match.psi_start)
share.share_app.command("psi-reply")(share_match.psi_reply)
share.share_app.command("psi-finish")(share_match.psi_finish)
app.add_typer(share.share_app, name="share", no_args_is_help=True)
app.add_typer(service.users_app, name="users")
app.add_typer(service.tokens_app, name="tokens")
