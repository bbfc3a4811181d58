"""Bounded request parameters: an id, a page number or a flag outside what the database can hold is a bad request
(422), never a 500 from an integer overflow in the driver (SQLite and PostgreSQL store 64-bit signed integers)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path, Query

#: The largest id either database can hold.
MAX_ID = 2**63 - 1
#: The last page any list can have (at 50 rows a page, its offset is still far inside MAX_ID).
MAX_PAGE = 10**9

RowId = Annotated[int, Path(ge=1, le=MAX_ID)]
PageNo = Annotated[int, Query(ge=1, le=MAX_PAGE)]
Offset = Annotated[int, Query(ge=0, le=MAX_ID)]
QueryId = Annotated[int | None, Query(ge=1, le=MAX_ID)]
Flag = Annotated[int, Query(ge=0, le=1)]
