"""What a device's web and RTSP servers say: HTTP Server headers, page titles and redirects (paths such as
Hikvision's /doc/page/login.asp), RTSP realms and servers; from a register's server/title/rtsp columns, nmap's
service products and its script outputs (http-server-header, http-title, rtsp-methods, ...)."""

from __future__ import annotations

from collections.abc import Iterator

from counterpitch.devices.clues._common import where
from counterpitch.devices.model import Clue, Observation
from counterpitch.devices.tables import Matcher, Tables

KIND_SERVER = "http_server"
KIND_TEXT = "http_text"
KIND_RTSP = "rtsp"
KIND = "banner"


def _texts(obs: Observation) -> Iterator[tuple[str, str, str]]:
    """(matcher kind, where, text) for every banner-like text of the observation."""
    for f, v in obs.fields:
        if f == "server":
            yield KIND_SERVER, f, v
        elif f == "title":
            yield KIND_TEXT, f, v
        elif f == "rtsp":
            yield KIND_RTSP, f, v
    for s in obs.services:
        at = f"{s.proto}/{s.port}"
        if s.product:
            yield KIND_RTSP if "rtsp" in s.name else KIND_TEXT, f"{at} product", s.product
        for script, output in s.scripts:
            if script == "http-server-header":
                for line in output.splitlines() or [output]:
                    yield KIND_SERVER, f"{at} {script}", line.strip()
            else:
                yield KIND_TEXT, f"{at} {script}", output
                yield KIND_RTSP, f"{at} {script}", output


def clues(obs: Observation, t: Tables) -> Iterator[Clue]:
    matchers: dict[str, Matcher] = {KIND_SERVER: t.http_server, KIND_TEXT: t.http_text, KIND_RTSP: t.rtsp}
    seen: set[tuple[str, str]] = set()
    for kind, part, text in _texts(obs):
        for maker, found, weight in matchers[kind].find(text):
            if (kind, maker) not in seen:
                seen.add((kind, maker))
                yield Clue(kind, found[:120], maker, t.label(maker), weight, where(obs, part))
