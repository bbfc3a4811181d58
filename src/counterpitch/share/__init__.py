"""Sharing what one organisation learns with others, and never its staff.

STIX 2.1 bundles and MISP events out and in, a TAXII 2.1 collection in the service, and matching personas
across organisations by keyed hashes or a private set intersection (issue 15). Those who were approached
leave the building only as counts and roles.
"""
