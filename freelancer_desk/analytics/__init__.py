"""Pure computations over plain data: no session, no I/O, no Qt."""
