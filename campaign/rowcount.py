"""The number of rows an UPDATE or DELETE run through the ORM session matched.

Claims and conditional updates read it to learn whether they won a race. `Session.execute`
is typed to return a plain `Result` whatever the statement, but for DML it hands back a
`CursorResult`, the class that carries `rowcount`; this says so once instead of at every call.
"""

from typing import Any, cast

from sqlalchemy import CursorResult, Result


def rowcount(result: Result[Any]) -> int:
    """Rows matched by the UPDATE or DELETE that produced `result`."""
    return cast(CursorResult[Any], result).rowcount
