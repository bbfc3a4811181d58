"""Observations of one device together (decision 0062).

Scans are read first and their hosts indexed: two scans of one host join by MAC, then by IP when neither MAC
contradicts. Register rows then stream past the index: a row joins the scanned host with its MAC, else the one
with its IP (on the same site, or a scan given no site) whose MAC does not contradict it. A register row is one
device, judged and written as soon as it is read, so a million-row register needs no more memory than its scans;
the scanned hosts no row claimed are judged at the end.
"""

from __future__ import annotations

from collections.abc import Iterator

from counterpitch.devices.model import Observation


class ScanIndex:
    """Scanned hosts, each a list of observations, found by MAC and by IP."""

    def __init__(self) -> None:
        self.devices: list[list[Observation]] = []
        self._by_mac: dict[str, int] = {}
        self._by_ip: dict[str, list[int]] = {}
        self._claimed: set[int] = set()

    def _mac_of(self, index: int) -> str:
        return next((o.mac for o in self.devices[index] if o.mac), "")

    def _by_address(self, obs: Observation) -> int | None:
        if obs.mac and obs.mac in self._by_mac:
            return self._by_mac[obs.mac]
        for index in self._by_ip.get(obs.ip, ()) if obs.ip else ():
            mac = self._mac_of(index)
            site = next((o.site for o in self.devices[index] if o.site), "")
            if (not mac or not obs.mac or mac == obs.mac) and (not site or not obs.site or site == obs.site):
                return index
        return None

    def add(self, obs: Observation) -> None:
        index = self._by_address(obs)
        if index is None:
            index = len(self.devices)
            self.devices.append([])
        self.devices[index].append(obs)
        if obs.mac:
            self._by_mac.setdefault(obs.mac, index)
        if obs.ip and index not in self._by_ip.setdefault(obs.ip, []):
            self._by_ip[obs.ip].append(index)

    def claim(self, row: Observation) -> list[Observation]:
        """The scanned host a register row describes (marked as claimed), or nothing."""
        if not self.devices:
            return []
        index = self._by_address(row)
        if index is None:
            return []
        self._claimed.add(index)
        return self.devices[index]

    def unclaimed(self) -> Iterator[list[Observation]]:
        for index, device in enumerate(self.devices):
            if index not in self._claimed:
                yield device
